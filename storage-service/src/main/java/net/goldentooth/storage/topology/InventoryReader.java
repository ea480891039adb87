package net.goldentooth.storage.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small reader of Ansible's YAML inventory ({@code all: {hosts, vars, children}}): only groups,
 * their hosts and host variables, which is all the storage topology needs. The provisioner owns
 * the full parser (patterns, group vars); this service does not depend on it.
 */
public final class InventoryReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private InventoryReader() {
    }

    public static Inventory read(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new InventoryException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InventoryException(file + ": expected a mapping of groups at the top");
        }
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        Map<String, Map<String, String>> vars = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> top = root.fields();
        while (top.hasNext()) {
            Map.Entry<String, JsonNode> entry = top.next();
            walk(file, entry.getKey(), entry.getValue(), groups, vars, new LinkedHashSet<>());
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        groups.forEach((name, hosts) -> ordered.put(name, List.copyOf(hosts)));
        return new Inventory(ordered, vars);
    }

    private static Set<String> walk(String file, String group, JsonNode node, Map<String, Set<String>> groups,
                                    Map<String, Map<String, String>> vars, Set<String> path) {
        if (!path.add(group)) {
            throw new InventoryException(file + ": group '" + group + "' contains itself");
        }
        Set<String> hosts = groups.computeIfAbsent(group, g -> new LinkedHashSet<>());
        if (node == null || node.isNull()) {
            path.remove(group);
            return hosts;
        }
        if (!node.isObject()) {
            throw new InventoryException(file + ": group '" + group + "' must be a mapping");
        }
        JsonNode hostNode = node.get("hosts");
        if (hostNode != null && !hostNode.isNull()) {
            if (!hostNode.isObject()) {
                throw new InventoryException(file + ": 'hosts' of group '" + group + "' must be a mapping");
            }
            hostNode.fields().forEachRemaining(h -> {
                hosts.add(h.getKey());
                Map<String, String> hv = vars.computeIfAbsent(h.getKey(), k -> new LinkedHashMap<>());
                if (h.getValue() != null && h.getValue().isObject()) {
                    h.getValue().fields().forEachRemaining(v -> hv.put(v.getKey(), v.getValue().asText()));
                }
            });
        }
        JsonNode children = node.get("children");
        if (children != null && !children.isNull()) {
            if (!children.isObject()) {
                throw new InventoryException(file + ": 'children' of group '" + group + "' must be a mapping");
            }
            List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
            children.fields().forEachRemaining(list::add);
            for (Map.Entry<String, JsonNode> child : list) {
                hosts.addAll(walk(file, child.getKey(), child.getValue(), groups, vars, path));
            }
        }
        path.remove(group);
        return hosts;
    }
}
