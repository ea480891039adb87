package net.goldentooth.provisioner.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads Ansible's YAML inventory format: groups with {@code hosts}, {@code vars} and
 * {@code children}; top-level groups are children of {@code all}; a host's variables are its groups'
 * variables merged from the outermost group inwards (ties by group name, as Ansible does), then its
 * own. Anything else in a group is an error, because a misspelt key would otherwise silently drop
 * hosts from a fleet-wide command.
 */
public final class InventoryParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private final String origin;
    /** Group name → declared direct hosts, children and vars (a group may be declared more than once). */
    private final Map<String, GroupDecl> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();

    private InventoryParser(String origin) {
        this.origin = origin;
    }

    private static final class GroupDecl {
        final Set<String> hosts = new LinkedHashSet<>();
        final Set<String> children = new LinkedHashSet<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
    }

    public static Inventory load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InventoryException("inventory " + file + ": file does not exist");
        } catch (IOException e) {
            throw new InventoryException("inventory " + file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** @param origin the file name, for error messages */
    public static Inventory parse(String yaml, String origin) {
        return new InventoryParser(origin).read(yaml);
    }

    private Inventory read(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw fail("is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("is empty; expected a mapping with an 'all' group");
        }
        if (!root.isObject()) {
            throw fail("must be a mapping of group names at the top level, got " + kind(root));
        }
        group(Inventory.ALL);
        List<String> topLevel = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> top = it.next();
            readGroup(top.getKey(), top.getValue());
            if (!top.getKey().equals(Inventory.ALL)) {
                topLevel.add(top.getKey());
            }
        }
        // As Ansible does once the file is read: a group nobody lists as a child becomes a child of 'all',
        // after the children 'all' lists itself.
        Set<String> listed = new LinkedHashSet<>();
        groups.values().forEach(g -> listed.addAll(g.children));
        topLevel.stream().filter(g -> !listed.contains(g)).forEach(group(Inventory.ALL).children::add);
        return build();
    }

    private GroupDecl group(String name) {
        return groups.computeIfAbsent(name, n -> new GroupDecl());
    }

    private void readGroup(String name, JsonNode node) {
        checkName("group", name);
        GroupDecl group = group(name);
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw fail("group '" + name + "' must be a mapping with hosts, vars or children, got " + kind(node));
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!GROUP_KEYS.contains(key)) {
                throw fail("group '" + name + "' has unknown key '" + key + "'; expected hosts, vars or children");
            }
        }
        // Sections in the file's order, as Ansible reads them: the order hosts are first mentioned in decides
        // the inventory's host order.
        for (Iterator<Map.Entry<String, JsonNode>> sections = node.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            JsonNode value = section.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            switch (section.getKey()) {
                case "hosts" -> readHosts(name, group, value);
                case "vars" -> {
                    requireMapping(value, "group '" + name + "': 'vars'");
                    group.vars.putAll(toMap(value));
                }
                case "children" -> readChildren(name, group, value);
                default -> throw new IllegalStateException(section.getKey());
            }
        }
    }

    private void readHosts(String name, GroupDecl group, JsonNode hosts) {
        requireMapping(hosts, "group '" + name + "': 'hosts'");
        for (Iterator<Map.Entry<String, JsonNode>> it = hosts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> host = it.next();
            checkName("host", host.getKey());
            group.hosts.add(host.getKey());
            Map<String, Object> vars = hostVars.computeIfAbsent(host.getKey(), h -> new LinkedHashMap<>());
            if (host.getValue() != null && !host.getValue().isNull()) {
                requireMapping(host.getValue(), "host '" + host.getKey() + "' in group '" + name + "'");
                vars.putAll(toMap(host.getValue()));
            }
        }
    }

    private void readChildren(String name, GroupDecl group, JsonNode children) {
        requireMapping(children, "group '" + name + "': 'children'");
        for (Iterator<Map.Entry<String, JsonNode>> it = children.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> child = it.next();
            if (child.getKey().equals(Inventory.ALL)) {
                throw fail("group '" + name + "' cannot have 'all' as a child");
            }
            group.children.add(child.getKey());
            readGroup(child.getKey(), child.getValue());
        }
    }

    private Inventory build() {
        Map<String, Integer> depth = new LinkedHashMap<>();
        depth.put(Inventory.ALL, 0);
        assignDepths(Inventory.ALL, new ArrayDeque<>(), depth);
        // Hosts named only under 'all' directly are Ansible's 'ungrouped'.
        Map<String, Set<String>> expanded = new LinkedHashMap<>();
        for (String name : groups.keySet()) {
            expanded.put(name, expand(name));
        }
        Map<String, List<String>> memberships = new LinkedHashMap<>();
        for (String host : hostVars.keySet()) {
            memberships.put(host, new ArrayList<>());
        }
        for (Map.Entry<String, Set<String>> e : expanded.entrySet()) {
            if (!e.getKey().equals(Inventory.ALL)) {
                e.getValue().forEach(h -> memberships.get(h).add(e.getKey()));
            }
        }
        Map<String, Inventory.Host> hosts = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> h : hostVars.entrySet()) {
            List<String> groupsOfHost = memberships.get(h.getKey());
            List<String> byPrecedence = new ArrayList<>(groupsOfHost);
            byPrecedence.add(Inventory.ALL);
            byPrecedence.sort(Comparator.comparing((String g) -> depth.getOrDefault(g, 0)).thenComparing(g -> g));
            Map<String, Object> vars = new LinkedHashMap<>();
            byPrecedence.forEach(g -> vars.putAll(groups.get(g).vars));
            vars.putAll(h.getValue());
            Object address = vars.get("ansible_host");
            if (address != null && !(address instanceof String)) {
                throw fail("host '" + h.getKey() + "': ansible_host must be a string, got " + address);
            }
            hosts.put(h.getKey(), new Inventory.Host(h.getKey(), address == null ? h.getKey() : (String) address,
                    List.copyOf(groupsOfHost), java.util.Collections.unmodifiableMap(vars)));
        }
        List<String> hostOrder = new ArrayList<>(hosts.keySet());
        Map<String, List<String>> groupHosts = new LinkedHashMap<>();
        groupHosts.put(Inventory.ALL, List.copyOf(hostOrder));
        for (Map.Entry<String, Set<String>> e : expanded.entrySet()) {
            if (!e.getKey().equals(Inventory.ALL)) {
                groupHosts.put(e.getKey(), hostOrder.stream().filter(e.getValue()::contains).toList());
            }
        }
        List<String> ungrouped = hostOrder.stream().filter(h -> memberships.get(h).isEmpty()).toList();
        if (!ungrouped.isEmpty() && !groupHosts.containsKey(Inventory.UNGROUPED)) {
            groupHosts.put(Inventory.UNGROUPED, ungrouped);
        }
        return new Inventory(hosts, groupHosts, patternGroups(ungrouped));
    }

    /**
     * Each group's hosts in the order Ansible's patterns count them: the group's own hosts, then its
     * children's, level by level (Ansible orders a level below the children by object identity, so only
     * the first two levels are reproducible; this keeps declaration order throughout). {@code all}'s
     * first child is {@code ungrouped}.
     */
    private Map<String, List<String>> patternGroups(List<String> ungrouped) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put(Inventory.ALL, null);
        out.put(Inventory.UNGROUPED, ungrouped);
        for (String name : groups.keySet()) {
            List<String> levels = new ArrayList<>(List.of(name));
            if (name.equals(Inventory.ALL)) {
                levels.add(Inventory.UNGROUPED);
            }
            Set<String> seen = new LinkedHashSet<>(levels);
            List<String> frontier = new ArrayList<>(levels);
            while (!frontier.isEmpty()) {
                List<String> next = new ArrayList<>();
                for (String g : frontier) {
                    GroupDecl decl = groups.get(g);
                    for (String child : decl == null ? Set.<String>of() : decl.children) {
                        if (seen.add(child)) {
                            next.add(child);
                        }
                    }
                }
                levels.addAll(next);
                frontier = next;
            }
            Set<String> hostsInOrder = new LinkedHashSet<>();
            for (String g : levels) {
                hostsInOrder.addAll(g.equals(Inventory.UNGROUPED) && !groups.containsKey(g) ? ungrouped : groups.get(g).hosts);
            }
            out.put(name, List.copyOf(hostsInOrder));
        }
        return out;
    }

    /** Depth of each group below 'all' (the longest path), detecting cycles on the way. */
    private void assignDepths(String group, Deque<String> path, Map<String, Integer> depth) {
        if (path.contains(group)) {
            throw fail("groups form a cycle: " + String.join(" -> ", path) + " -> " + group);
        }
        path.addLast(group);
        for (String child : groups.get(group).children) {
            if (depth.getOrDefault(child, -1) < path.size()) {
                depth.put(child, path.size());
                assignDepths(child, path, depth);
            }
        }
        path.removeLast();
    }

    private Set<String> expand(String group) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(group));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String g = todo.removeFirst();
            if (seen.add(g)) {
                out.addAll(groups.get(g).hosts);
                todo.addAll(groups.get(g).children);
            }
        }
        if (group.equals(Inventory.ALL)) {
            out.addAll(hostVars.keySet());
        }
        return out;
    }

    private void requireMapping(JsonNode node, String what) {
        if (!node.isObject()) {
            throw fail(what + " must be a mapping, got " + kind(node));
        }
    }

    private void checkName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw fail(what + " name '" + name + "' may contain only letters, digits, '_', '-' and '.'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return YAML.convertValue(node, LinkedHashMap.class);
    }

    private static String kind(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case ARRAY -> "a list";
            case STRING -> "the string '" + node.asText() + "'";
            case NUMBER, BOOLEAN -> "the value " + node.asText();
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private InventoryException fail(String problem) {
        return new InventoryException("inventory " + origin + ": " + problem);
    }
}
