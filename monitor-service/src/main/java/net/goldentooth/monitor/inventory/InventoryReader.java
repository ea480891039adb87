package net.goldentooth.monitor.inventory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads just what the monitor needs from an Ansible YAML inventory: each host's address and the
 * groups it belongs to (a group's children pass their hosts up to it). The provisioner owns the
 * full inventory semantics; this reader is deliberately small.
 */
public final class InventoryReader {

    public static Map<String, InventoryHost> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("inventory " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static Map<String, InventoryHost> parse(String yaml, String origin) {
        return read(new StringReader(yaml), origin);
    }

    private static Map<String, InventoryHost> read(Reader reader, String origin) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("inventory " + origin + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> addresses = new TreeMap<>();
        Map<String, Set<String>> groups = new TreeMap<>();
        if (root instanceof Map<?, ?> top) {
            top.forEach((name, body) -> walkGroup(String.valueOf(name), body, List.of(), addresses, groups));
        } else if (root != null) {
            throw new IllegalArgumentException("inventory " + origin + " is not a mapping of groups");
        }
        Map<String, InventoryHost> hosts = new TreeMap<>();
        addresses.forEach((name, address) -> hosts.put(name,
                new InventoryHost(name, address, Set.copyOf(groups.getOrDefault(name, Set.of())))));
        return hosts;
    }

    private static void walkGroup(String group, Object body, List<String> ancestors, Map<String, String> addresses,
                                  Map<String, Set<String>> groups) {
        if (ancestors.contains(group) || !(body instanceof Map<?, ?> map)) {
            return;
        }
        List<String> path = new java.util.ArrayList<>(ancestors);
        path.add(group);
        if (map.get("hosts") instanceof Map<?, ?> hostMap) {
            hostMap.forEach((host, vars) -> {
                String name = String.valueOf(host);
                Object address = vars instanceof Map<?, ?> v ? v.get("ansible_host") : null;
                if (address != null || !addresses.containsKey(name)) {
                    addresses.put(name, address == null ? name : String.valueOf(address));
                }
                groups.computeIfAbsent(name, n -> new TreeSet<>()).addAll(path);
            });
        }
        if (map.get("children") instanceof Map<?, ?> children) {
            children.forEach((child, childBody) -> walkGroup(String.valueOf(child), childBody, path, addresses, groups));
        }
    }

    private InventoryReader() {
    }
}
