package net.goldentooth.storage.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this service needs of the Ansible inventory: groups with their hosts in inventory order
 * (a group's own hosts first, then its children's), and each host's variables.
 */
public record Inventory(Map<String, List<String>> groups, Map<String, Map<String, String>> hostVars) {

    public List<String> group(String name) {
        return groups.getOrDefault(name, List.of());
    }

    public Optional<String> hostVar(String host, String key) {
        return Optional.ofNullable(hostVars.getOrDefault(host, Map.of()).get(key));
    }

    /** The host's address ({@code ansible_host}), else its name. */
    public String address(String host) {
        return hostVar(host, "ansible_host").orElse(host);
    }
}
