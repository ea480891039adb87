package net.goldentooth.storage.topology;

import java.util.List;

/**
 * The seed's hub-and-spoke (seed lines 8654-8874): the first host of the ZFS group owns the
 * datasets and takes the snapshots; every other host of the group receives them.
 */
public record ReplicationTopology(String source, List<String> targets) {

    public ReplicationTopology {
        targets = List.copyOf(targets);
    }

    public static ReplicationTopology hubAndSpoke(Inventory inventory, String group) {
        List<String> hosts = inventory.group(group);
        if (hosts.isEmpty()) {
            throw new InventoryException("inventory group '" + group + "' has no hosts: the first host of '" + group
                    + "' is the replication source; groups: " + String.join(", ", inventory.groups().keySet()));
        }
        return new ReplicationTopology(hosts.get(0), hosts.subList(1, hosts.size()));
    }
}
