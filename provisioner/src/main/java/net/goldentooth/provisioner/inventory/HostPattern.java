package net.goldentooth.provisioner.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's host patterns (ansible-core 2.14) against an {@link Inventory}, term for term:
 * <ul>
 *   <li>terms are separated by {@code ,}; without a comma, by {@code :} or whitespace outside
 *       brackets, unless the whole pattern reads as one host name or address ({@code web[1:3]},
 *       {@code host:22});</li>
 *   <li>a term is a host or group name, a glob ({@code bett*}, {@code ?}, {@code [abc]},
 *       {@code [!abc]}) or a regular expression after {@code ~}, matched from the start of each group
 *       and host name; {@code all}, {@code *} and the implicit {@code ungrouped} are groups like any
 *       other; a name or glob that names a group takes the group's hosts, and a glob or regular
 *       expression also takes the hosts it names;</li>
 *   <li>a subscript picks from a term's hosts in Ansible's order: {@code [i]} (negative counts from
 *       the end), {@code [i:j]} inclusive, {@code [i:]}; not after a {@code ~} term;</li>
 *   <li>the plain terms are united first, in the order written, then the {@code &} terms intersect,
 *       then the {@code !} terms exclude, wherever they stand; only {@code !}/{@code &} terms start
 *       from {@code all}.</li>
 * </ul>
 * The result is in Ansible's order: the order the plain terms add hosts.
 *
 * <p>Two deliberate differences. Where Ansible warns and carries on, a term that names no group or
 * host is an error here: a typo in {@code goldentooth command 'all:!k8s_contrl_plane' ...} must not
 * run on every node. And {@code localhost} is not implicitly added: it is not a managed node. An
 * empty selection is an error, as for Ansible's command line.
 */
public final class HostPattern {

    private HostPattern() {
    }

    /** Ansible's {@code PATTERN_WITH_SUBSCRIPT}: an expression, then {@code [i]}, {@code [i:j]}, {@code [i:]} or {@code [i-j]}. */
    private static final Pattern SUBSCRIPT = Pattern.compile("(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]", Pattern.DOTALL);
    /** A term of a {@code :}-separated pattern: anything but whitespace, {@code :} and brackets, or a whole bracketed run. */
    private static final Pattern COLON_TERM = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+", Pattern.UNICODE_CHARACTER_CLASS);

    /** The hosts {@code pattern} selects, in Ansible's order; never empty. */
    public static List<String> resolve(String pattern, Inventory inventory) {
        if (pattern == null || pattern.isBlank()) {
            throw new PatternException("pattern is empty; use 'all' or a group or host name", inventory.groupNames());
        }
        List<String> regular = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String term : split(pattern)) {
            switch (term.charAt(0)) {
                case '!' -> exclusions.add(term);
                case '&' -> intersections.add(term);
                default -> regular.add(term);
            }
        }
        if (regular.isEmpty()) {
            regular.add(Inventory.ALL);
        }
        Set<String> selected = new LinkedHashSet<>();
        for (String term : regular) {
            if (inventory.hasHost(term)) {
                selected.add(term);
            } else {
                selected.addAll(matchTerm(term, inventory));
            }
        }
        for (String term : intersections) {
            selected.retainAll(new LinkedHashSet<>(matchTerm(term.substring(1), inventory)));
        }
        for (String term : exclusions) {
            matchTerm(term.substring(1), inventory).forEach(selected::remove);
        }
        if (selected.isEmpty()) {
            throw new PatternException("pattern '" + pattern + "' selects no hosts", inventory.groupNames());
        }
        return List.copyOf(selected);
    }

    /** Ansible's {@code split_host_pattern}: the terms, stripped, empty ones dropped. */
    static List<String> split(String pattern) {
        List<String> raw = new ArrayList<>();
        if (pattern.contains(",")) {
            raw.addAll(List.of(pattern.split(",", -1)));
        } else if (HostAddress.parses(pattern)) {
            raw.add(pattern);
        } else {
            Matcher m = COLON_TERM.matcher(pattern);
            while (m.find()) {
                raw.add(m.group());
            }
        }
        return raw.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    /** One term without its {@code !}/{@code &}: its hosts, subscript applied; an error when it names nothing. */
    private static List<String> matchTerm(String term, Inventory inventory) {
        if (term.isEmpty()) {
            throw unknown("a '!' or '&' must be followed by a group or host", inventory);
        }
        String expression = term;
        Matcher subscript = term.charAt(0) == '~' ? null : SUBSCRIPT.matcher(term);
        if (subscript != null && subscript.matches()) {
            expression = subscript.group(1);
        } else {
            subscript = null;
        }
        List<String> hosts = enumerate(expression, inventory);
        if (subscript == null || hosts.isEmpty()) {
            return hosts;
        }
        if (subscript.group(2) != null) {
            return List.of(pick(hosts, toInt(subscript.group(2)), term, inventory));
        }
        int start = toInt(subscript.group(3));
        String endText = subscript.group(5);
        int end = endText.isEmpty() ? -1 : toInt(endText);
        if (end == 0) {
            // Ansible reads an end of 0 as "no end": [i:0] is [i].
            return List.of(pick(hosts, start, term, inventory));
        }
        if (end == -1) {
            end = hosts.size() - 1;
        }
        int from = Math.min(start, hosts.size());
        int to = Math.min(Math.max(end + 1, from), hosts.size());
        return hosts.subList(from, to);
    }

    private static String pick(List<String> hosts, int index, String term, Inventory inventory) {
        int at = index < 0 ? index + hosts.size() : index;
        if (at < 0 || at >= hosts.size()) {
            throw new PatternException("pattern term '" + term + "': index " + index + " is out of range for its "
                    + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s"), inventory.groupNames());
        }
        return hosts.get(at);
    }

    /** Ansible's {@code _enumerate_matches}: the hosts of every group the expression names, then of the hosts it names. */
    private static List<String> enumerate(String expression, Inventory inventory) {
        Pattern matcher = compile(expression, inventory);
        List<String> hosts = new ArrayList<>();
        boolean groupMatched = false;
        for (Map.Entry<String, List<String>> group : inventory.patternGroups().entrySet()) {
            if (matcher.matcher(group.getKey()).lookingAt()) {
                groupMatched = true;
                hosts.addAll(group.getValue());
            }
        }
        if (!groupMatched || expression.charAt(0) == '~' || expression.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0)) {
            inventory.hosts().keySet().stream().filter(h -> matcher.matcher(h).lookingAt()).forEach(hosts::add);
        }
        if (hosts.isEmpty() && !groupMatched) {
            throw unknown((expression.charAt(0) == '~' ? "no group or host matches the regular expression '"
                    : isGlob(expression) ? "no group or host matches '" : "unknown group or host '") + expression + "'", inventory);
        }
        return hosts;
    }

    /** The term as a regular expression matched from the start of a name: {@code ~regex} as written, anything else as a glob. */
    private static Pattern compile(String expression, Inventory inventory) {
        if (expression.charAt(0) != '~') {
            try {
                return Glob.toRegex(expression);
            } catch (IllegalArgumentException e) {
                throw new PatternException("'" + expression + "' is not a valid glob: " + e.getMessage(),
                        inventory.groupNames());
            }
        }
        try {
            return Pattern.compile(expression.substring(1));
        } catch (PatternSyntaxException e) {
            throw new PatternException("'" + expression + "' is not a valid regular expression: " + e.getDescription(),
                    inventory.groupNames());
        }
    }

    private static boolean isGlob(String term) {
        return term.indexOf('*') >= 0 || term.indexOf('?') >= 0 || term.indexOf('[') >= 0;
    }

    /** A subscript's number; those beyond an int are beyond any inventory, so they are clamped. */
    private static int toInt(String digits) {
        BigInteger value = new BigInteger(digits);
        return value.max(BigInteger.valueOf(Integer.MIN_VALUE / 2)).min(BigInteger.valueOf(Integer.MAX_VALUE / 2)).intValue();
    }

    private static PatternException unknown(String what, Inventory inventory) {
        return new PatternException(what + "; groups: " + String.join(", ", inventory.groupNames()),
                inventory.groupNames());
    }
}
