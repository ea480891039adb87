package net.goldentooth.provisioner.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.api.InventoryView;

/**
 * A parsed Ansible inventory: hosts with their merged variables, and every group with its hosts
 * after children are expanded. Immutable.
 *
 * @param hosts         by name, in the order the file first mentions them
 * @param groups        by name, {@code all} first, then in the order the file declares them; each list is
 *                      in host order
 * @param patternGroups the groups as Ansible's host patterns see them: {@code all}, then
 *                      {@code ungrouped} (even when empty), then in the order the file declares them; each
 *                      list in Ansible's order, the group's own hosts first, then its children's level by
 *                      level, which is what index and slice subscripts ({@code k8s_worker[1:3]}) count
 */
public record Inventory(Map<String, Host> hosts, Map<String, List<String>> groups,
                        Map<String, List<String>> patternGroups) {

    public static final String ALL = "all";
    public static final String UNGROUPED = "ungrouped";

    /**
     * @param address {@code ansible_host}, or the name when absent
     * @param groups  the groups the host belongs to, directly or through children ({@code all} excluded)
     * @param vars    group variables inherited from outer to inner groups, then the host's own
     */
    public record Host(String name, String address, List<String> groups, Map<String, Object> vars) {
    }

    public Inventory {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        patternGroups = Collections.unmodifiableMap(new LinkedHashMap<>(patternGroups));
    }

    /** An inventory whose groups are flat: patterns see each group's hosts in host order. */
    public Inventory(Map<String, Host> hosts, Map<String, List<String>> groups) {
        this(hosts, groups, flatPatternGroups(hosts, groups));
    }

    private static Map<String, List<String>> flatPatternGroups(Map<String, Host> hosts,
                                                               Map<String, List<String>> groups) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put(ALL, groups.getOrDefault(ALL, List.copyOf(hosts.keySet())));
        out.put(UNGROUPED, groups.getOrDefault(UNGROUPED, List.of()));
        groups.forEach(out::putIfAbsent);
        return out;
    }

    public boolean hasHost(String name) {
        return hosts.containsKey(name);
    }

    public List<String> groupNames() {
        return new ArrayList<>(groups.keySet());
    }

    public InventoryView toView() {
        Map<String, InventoryView.Host> viewHosts = new LinkedHashMap<>();
        hosts.forEach((name, h) -> viewHosts.put(name, new InventoryView.Host(name, h.address(), h.groups(), h.vars())));
        return new InventoryView(viewHosts, groups);
    }
}
