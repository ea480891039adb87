package net.goldentooth.monitor.logs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.goldentooth.monitor.inventory.InventoryHost;

/**
 * The nodes an Ansible-style pattern selects for {@code goldentooth logs <pattern>}: {@code all} or
 * {@code *}, host and group names of the inventory, globs, lists split by {@code ,} (or {@code :}),
 * {@code !exclude} and {@code &intersect}, applied in Ansible's order (union, then intersections, then
 * exclusions). Unlike a job's pattern it is a predicate on node names, not a list: a node that ships
 * logs without being in the monitor's inventory is still selected by {@code all}, a glob or its name.
 * Pure.
 */
public final class NodeSelection {

    private final Predicate<String> matches;
    private final Set<String> exactNodes;

    private NodeSelection(Predicate<String> matches, Set<String> exactNodes) {
        this.matches = matches;
        this.exactNodes = exactNodes;
    }

    public boolean matches(String node) {
        return node != null && matches.test(node);
    }

    /** The nodes when the pattern names them one by one (so only their partitions need reading); empty otherwise. */
    public Optional<Set<String>> exactNodes() {
        return Optional.ofNullable(exactNodes);
    }

    /** @throws IllegalArgumentException for an empty pattern or term, saying why */
    public static NodeSelection parse(String pattern, Map<String, InventoryHost> inventory) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("the node pattern is empty; use 'all', a group, a host or a glob");
        }
        String separator = pattern.contains(",") ? "," : ":";
        List<Predicate<String>> union = new ArrayList<>();
        List<Predicate<String>> intersect = new ArrayList<>();
        List<Predicate<String>> exclude = new ArrayList<>();
        Set<String> exact = new LinkedHashSet<>();
        boolean allExact = true;
        for (String raw : pattern.strip().split(Pattern.quote(separator), -1)) {
            String term = raw.strip();
            List<Predicate<String>> into = union;
            if (term.startsWith("!")) {
                into = exclude;
                term = term.substring(1).strip();
            } else if (term.startsWith("&")) {
                into = intersect;
                term = term.substring(1).strip();
            }
            if (term.isEmpty()) {
                throw new IllegalArgumentException("the node pattern '" + pattern + "' has an empty term");
            }
            into.add(term(term, inventory));
            if (into == union) {
                Set<String> members = exact(term, inventory);
                if (members == null) {
                    allExact = false;
                } else {
                    exact.addAll(members);
                }
            } else {
                allExact = false;
            }
        }
        Predicate<String> result = union.isEmpty() ? n -> true : union.stream().reduce(n -> false, Predicate::or);
        for (Predicate<String> p : intersect) {
            result = result.and(p);
        }
        for (Predicate<String> p : exclude) {
            result = result.and(p.negate());
        }
        return new NodeSelection(result, allExact && !union.isEmpty() ? Set.copyOf(exact) : null);
    }

    private static Predicate<String> term(String term, Map<String, InventoryHost> inventory) {
        if (term.equals("all") || term.equals("*")) {
            return n -> true;
        }
        if (isGlob(term)) {
            Pattern glob = glob(term);
            return n -> glob.matcher(n).matches() || inGroup(n, inventory, g -> glob.matcher(g).matches());
        }
        return n -> n.equals(term) || inGroup(n, inventory, term::equals);
    }

    /** A plain host or group name's nodes; null for anything that is not a fixed set. */
    private static Set<String> exact(String term, Map<String, InventoryHost> inventory) {
        if (term.equals("all") || term.equals("*") || isGlob(term)) {
            return null;
        }
        Set<String> nodes = new LinkedHashSet<>();
        nodes.add(term);
        inventory.values().stream().filter(h -> h.groups().contains(term)).forEach(h -> nodes.add(h.name()));
        return nodes;
    }

    private static boolean inGroup(String node, Map<String, InventoryHost> inventory, Predicate<String> group) {
        InventoryHost host = inventory.get(node);
        return host != null && host.groups().stream().anyMatch(group);
    }

    private static boolean isGlob(String term) {
        return term.indexOf('*') >= 0 || term.indexOf('?') >= 0 || term.indexOf('[') >= 0;
    }

    /** fnmatch: {@code *}, {@code ?} and {@code [...]}; everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close = c == '[' ? glob.indexOf(']', i + 1) : -1;
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (close > i) {
                String body = glob.substring(i + 1, close);
                String members = (body.startsWith("!") ? body.substring(1) : body).replace("\\", "\\\\");
                regex.append('[').append(body.startsWith("!") ? "^" : "").append(members).append(']');
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
