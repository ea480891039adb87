package net.goldentooth.storage.seaweedfs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import net.goldentooth.storage.topology.Inventory;

/**
 * What the inventory declares for SeaweedFS, checked before anything is deployed: the masters,
 * the volume servers and the command lines they get, or why the layout cannot work (an even
 * master count, seed lines 12298-12322). A missing group is not an error: not every cluster runs
 * SeaweedFS.
 *
 * @param group         the inventory group read
 * @param declared      whether the group has hosts
 * @param masters       the Raft masters; empty when undeclared or invalid
 * @param volumeServers every host of the group; empty when undeclared or invalid
 * @param masterCommand the command every master runs; null when undeclared or invalid
 * @param volumeCommand the command every volume server runs; null when undeclared or invalid
 * @param error         why the layout cannot work; null when it can
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeaweedLayout(String group, boolean declared, List<String> masters, List<String> volumeServers,
                            String masterCommand, String volumeCommand, String error) {

    public static final String GROUP = "seaweedfs";

    /** @param dataDir the directory holding {@code master/} and {@code data/} on each host */
    public static SeaweedLayout of(Inventory inventory, String group, String dataDir) {
        if (inventory.group(group).isEmpty()) {
            return new SeaweedLayout(group, false, List.of(), List.of(), null, null, null);
        }
        try {
            SeaweedTopology topology = SeaweedTopology.fromInventory(inventory, group);
            return new SeaweedLayout(group, true, topology.masters(), topology.volumes(),
                    topology.masterCommand(dataDir), topology.volumeCommand(dataDir), null);
        } catch (SeaweedTopologyException e) {
            return new SeaweedLayout(group, true, List.of(), List.of(), null, null, e.getMessage());
        }
    }
}
