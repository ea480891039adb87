package net.goldentooth.pki.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.pki.policy.NodeIdentity;

/**
 * The part of an Ansible YAML inventory the CA needs: each host's {@code ansible_host} and the
 * service names granted to it by {@code pki_names}. Grants accumulate: a host gets the union of
 * its own {@code pki_names} and those of every group it is in, directly or through
 * {@code children} (unlike Ansible's override rule, so that a group grant cannot be lost by a
 * host that grants itself one more name). Everything else in the file is ignored.
 */
public final class AnsibleInventory {

    public static final String NAMES_VAR = "pki_names";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, NodeIdentity> nodes;

    private AnsibleInventory(Map<String, NodeIdentity> nodes) {
        this.nodes = Map.copyOf(nodes);
    }

    public static AnsibleInventory load(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses inventory YAML; a malformed structure is an {@link IllegalArgumentException} naming where. */
    public static AnsibleInventory parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new AnsibleInventory(Map.of());
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("the top level must be a mapping of groups");
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> groups = root.fields();
        while (groups.hasNext()) {
            Map.Entry<String, JsonNode> group = groups.next();
            walk(group.getKey(), group.getValue(), new ArrayList<>(), addresses, granted);
        }
        Map<String, NodeIdentity> nodes = new LinkedHashMap<>();
        granted.forEach((host, names) -> nodes.put(host, new NodeIdentity(host, addresses.get(host), List.copyOf(names))));
        return new AnsibleInventory(nodes);
    }

    private static void walk(String name, JsonNode group, List<List<String>> inherited, Map<String, String> addresses,
                             Map<String, Set<String>> granted) {
        if (group == null || group.isNull()) {
            return;
        }
        if (!group.isObject()) {
            throw new IllegalArgumentException("group '" + name + "' must be a mapping");
        }
        List<List<String>> grants = new ArrayList<>(inherited);
        grants.add(names(group.path("vars"), "group '" + name + "'"));
        String groupAddress = text(group.path("vars").path("ansible_host"));
        JsonNode hosts = group.path("hosts");
        if (!hosts.isMissingNode() && !hosts.isNull()) {
            if (!hosts.isObject()) {
                throw new IllegalArgumentException("'hosts' of group '" + name + "' must be a mapping");
            }
            Iterator<Map.Entry<String, JsonNode>> entries = hosts.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> host = entries.next();
                Set<String> names = granted.computeIfAbsent(host.getKey(), h -> new LinkedHashSet<>());
                grants.forEach(names::addAll);
                names.addAll(names(host.getValue(), "host '" + host.getKey() + "'"));
                String address = text(host.getValue() == null ? null : host.getValue().path("ansible_host"));
                if (address != null) {
                    addresses.put(host.getKey(), address);
                } else if (groupAddress != null) {
                    addresses.putIfAbsent(host.getKey(), groupAddress);
                }
            }
        }
        JsonNode children = group.path("children");
        if (!children.isMissingNode() && !children.isNull()) {
            if (!children.isObject()) {
                throw new IllegalArgumentException("'children' of group '" + name + "' must be a mapping");
            }
            Iterator<Map.Entry<String, JsonNode>> entries = children.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> child = entries.next();
                walk(child.getKey(), child.getValue(), grants, addresses, granted);
            }
        }
    }

    private static List<String> names(JsonNode vars, String where) {
        if (vars == null || !vars.isObject() || !vars.has(NAMES_VAR) || vars.get(NAMES_VAR).isNull()) {
            return List.of();
        }
        JsonNode list = vars.get(NAMES_VAR);
        if (!list.isArray()) {
            throw new IllegalArgumentException(NAMES_VAR + " of " + where + " must be a list of names");
        }
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    public Optional<NodeIdentity> node(String host) {
        return Optional.ofNullable(nodes.get(host));
    }

    public int size() {
        return nodes.size();
    }
}
