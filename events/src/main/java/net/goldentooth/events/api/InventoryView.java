package net.goldentooth.events.api;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /inventory}: the provisioner's inventory after parsing.
 *
 * @param hosts  every host, by name
 * @param groups every group with its hosts after children are expanded, by name (includes {@code all})
 */
public record InventoryView(Map<String, Host> hosts, Map<String, List<String>> groups) {

    /** @param address {@code ansible_host}, or the name when absent */
    public record Host(String name, String address, List<String> groups, Map<String, Object> vars) {
    }
}
