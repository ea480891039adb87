package net.goldentooth.monitor.inventory;

import java.util.Set;

/**
 * @param address {@code ansible_host}, or the host name when the inventory gives none
 * @param groups  every group the host belongs to, directly or through children
 */
public record InventoryHost(String name, String address, Set<String> groups) {
}
