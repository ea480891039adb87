package net.goldentooth.provisioner.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ansible host patterns against an {@link Inventory}: {@code all} or {@code *}, host and group names,
 * globs ({@code bett*}), lists separated by {@code ,} (or {@code :} when there is no comma),
 * {@code !exclude} and {@code &intersect}. As in Ansible, the plain terms are united first, then the
 * intersections applied, then the exclusions, whatever their order in the pattern; a pattern with
 * only {@code !} or {@code &} terms starts from {@code all}. The result keeps inventory order.
 *
 * <p>Unlike Ansible, which warns and runs on fewer hosts, a term that matches no group or host is
 * an error: a typo in {@code goldentooth command k8s_contrl_plane ...} must not silently do nothing.
 */
public final class HostPattern {

    private HostPattern() {
    }

    private enum Op { UNION, INTERSECT, EXCLUDE }

    private record Term(Op op, String text) {
    }

    /** The hosts {@code pattern} selects, in inventory order; never empty. */
    public static List<String> resolve(String pattern, Inventory inventory) {
        if (pattern == null || pattern.isBlank()) {
            throw new PatternException("pattern is empty; use 'all' or a group or host name", inventory.groupNames());
        }
        List<Term> terms = parse(pattern.strip(), inventory);
        List<Term> ordered = new ArrayList<>();
        terms.stream().filter(t -> t.op == Op.UNION).forEach(ordered::add);
        if (ordered.isEmpty()) {
            ordered.add(new Term(Op.UNION, Inventory.ALL));
        }
        terms.stream().filter(t -> t.op == Op.INTERSECT).forEach(ordered::add);
        terms.stream().filter(t -> t.op == Op.EXCLUDE).forEach(ordered::add);

        Set<String> selected = new LinkedHashSet<>();
        for (Term term : ordered) {
            Set<String> matched = match(term.text, inventory);
            switch (term.op) {
                case UNION -> selected.addAll(matched);
                case INTERSECT -> selected.retainAll(matched);
                case EXCLUDE -> selected.removeAll(matched);
                default -> throw new IllegalStateException(term.op.name());
            }
        }
        List<String> result = inventory.hosts().keySet().stream().filter(selected::contains).toList();
        if (result.isEmpty()) {
            throw new PatternException("pattern '" + pattern + "' selects no hosts", inventory.groupNames());
        }
        return result;
    }

    private static List<Term> parse(String pattern, Inventory inventory) {
        String separator = pattern.contains(",") ? "," : ":";
        List<Term> terms = new ArrayList<>();
        for (String raw : pattern.split(Pattern.quote(separator), -1)) {
            String text = raw.strip();
            Op op = Op.UNION;
            if (text.startsWith("!")) {
                op = Op.EXCLUDE;
                text = text.substring(1).strip();
            } else if (text.startsWith("&")) {
                op = Op.INTERSECT;
                text = text.substring(1).strip();
            }
            if (text.isEmpty()) {
                throw new PatternException("pattern '" + pattern + "' has an empty term", inventory.groupNames());
            }
            terms.add(new Term(op, text));
        }
        return terms;
    }

    /** The hosts of one term; an error when it names nothing. */
    private static Set<String> match(String term, Inventory inventory) {
        Set<String> hosts = new LinkedHashSet<>();
        if (term.equals(Inventory.ALL) || term.equals("*")) {
            hosts.addAll(inventory.hosts().keySet());
            return hosts;
        }
        if (isGlob(term)) {
            Pattern glob = globToRegex(term);
            inventory.groups().forEach((group, members) -> {
                if (glob.matcher(group).matches()) {
                    hosts.addAll(members);
                }
            });
            inventory.hosts().keySet().stream().filter(h -> glob.matcher(h).matches()).forEach(hosts::add);
            if (hosts.isEmpty()) {
                throw unknown("no group or host matches '" + term + "'", inventory);
            }
            return hosts;
        }
        List<String> group = inventory.groups().get(term);
        if (group != null) {
            hosts.addAll(group);
        }
        if (inventory.hasHost(term)) {
            hosts.add(term);
        }
        if (group == null && hosts.isEmpty()) {
            throw unknown("unknown group or host '" + term + "'", inventory);
        }
        return hosts;
    }

    private static PatternException unknown(String what, Inventory inventory) {
        return new PatternException(what + "; groups: " + String.join(", ", inventory.groupNames()),
                inventory.groupNames());
    }

    private static boolean isGlob(String term) {
        return term.indexOf('*') >= 0 || term.indexOf('?') >= 0 || term.indexOf('[') >= 0;
    }

    /** fnmatch: {@code *} any run, {@code ?} one character, {@code [...]} a class; everything else literal. */
    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        if (body.startsWith("!")) {
                            body = "^" + body.substring(1);
                        }
                        regex.append('[').append(body.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
