package net.goldentooth.storage.seaweedfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.goldentooth.storage.topology.Inventory;

/**
 * SeaweedFS masters and volume servers from the inventory group {@code seaweedfs} (seed lines
 * 12251-12522): masters are the hosts marked {@code seaweedfs_master: true} (all hosts when none
 * is marked), volume servers are every host. Raft needs an odd number of masters; the seed's
 * four masters refused to start (seed lines 12298-12322), so an even count is refused here.
 */
public record SeaweedTopology(List<String> masters, List<String> volumes, Map<String, String> addresses) {

    public static final int MASTER_PORT = 9333;
    public static final int VOLUME_PORT = 8080;

    public static SeaweedTopology fromInventory(Inventory inventory, String group) {
        List<String> hosts = inventory.group(group);
        if (hosts.isEmpty()) {
            throw new SeaweedTopologyException("inventory group '" + group + "' has no hosts");
        }
        List<String> marked = hosts.stream()
                .filter(h -> inventory.hostVar(h, "seaweedfs_master").map(Boolean::parseBoolean).orElse(false))
                .toList();
        List<String> masters = marked.isEmpty() ? hosts : marked;
        if (masters.size() % 2 == 0) {
            throw new SeaweedTopologyException(masters.size() + " SeaweedFS masters (" + String.join(", ", masters)
                    + ") is an even number: Raft needs a majority, and the seed's 4 masters refused to start"
                    + " with 'Only odd number of masters are supported' (seed lines 12298-12322); mark "
                    + (masters.size() - 1) + " or " + (masters.size() + 1)
                    + " hosts with seaweedfs_master: true");
        }
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        hosts.forEach(h -> addresses.put(h, inventory.address(h)));
        return new SeaweedTopology(List.copyOf(masters), List.copyOf(hosts), addresses);
    }

    /** The {@code -peers} value every master gets: all masters, the node itself included. */
    public String peers() {
        List<String> peers = new ArrayList<>();
        for (String master : masters) {
            peers.add(addresses.get(master) + ":" + MASTER_PORT);
        }
        return String.join(",", peers);
    }

    /**
     * The master command line. No {@code -ip}: a master binds and advertises its own address,
     * and a wrong {@code -ip} (copied between hosts) is how a peer list stops matching.
     */
    public String masterCommand(String dataDir) {
        return "weed master -port=" + MASTER_PORT + " -mdir=" + dataDir + "/master -peers=" + peers()
                + " -raftHashicorp=true -defaultReplication=001 -volumeSizeLimitMB=1024";
    }

    public String volumeCommand(String dataDir) {
        return "weed volume -port=" + VOLUME_PORT + " -dir=" + dataDir + "/data -max=64 -mserver=" + peers();
    }
}
