package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.goldentooth.events.api.InventoryView;

/** {@code list_groups}: each group with its hosts, or (for completion) just the names. */
public final class InventoryPrinter {

    private InventoryPrinter() {
    }

    /** {@code group: host host ...}, groups and hosts sorted. */
    public static void groups(InventoryView inventory, PrintStream out) {
        new TreeMap<>(groupsOf(inventory)).forEach((group, hosts) ->
                out.println(group + ": " + String.join(" ", new TreeSet<>(hosts))));
    }

    /** Every group name, then every host name not already printed, one per line. */
    public static void names(InventoryView inventory, PrintStream out) {
        TreeSet<String> groups = new TreeSet<>(groupsOf(inventory).keySet());
        TreeSet<String> hosts = new TreeSet<>(inventory.hosts() == null ? List.of() : inventory.hosts().keySet());
        groupsOf(inventory).values().forEach(hosts::addAll);
        hosts.removeAll(groups);
        groups.forEach(out::println);
        hosts.forEach(out::println);
    }

    private static Map<String, List<String>> groupsOf(InventoryView inventory) {
        return inventory.groups() == null ? Map.of() : inventory.groups();
    }
}
