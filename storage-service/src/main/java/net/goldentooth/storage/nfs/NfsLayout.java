package net.goldentooth.storage.nfs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.storage.topology.Inventory;

/**
 * Everything NFS renders for the cluster: each server's exports file and each client's units.
 * Servers are addressed by their inventory address; a server host var {@code nfs_mount} moves
 * its export's client mount point (the seed mounts allyrion's {@code /mnt/usb1} at {@code /mnt/nfs}).
 */
public record NfsLayout(Map<String, String> exportsFiles, List<ClientMount> clientMounts) {

    public static NfsLayout of(List<NfsExport> exports, Inventory inventory, String clientGroup) {
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, String> mountPoints = new LinkedHashMap<>();
        for (NfsExport export : exports) {
            addresses.put(export.server(), inventory.address(export.server()));
            inventory.hostVar(export.server(), "nfs_mount")
                    .filter(m -> inventory.hostVar(export.server(), "nfs_export").map(export.path()::equals).orElse(true))
                    .ifPresent(m -> mountPoints.put(export.server() + ":" + export.path(), m));
        }
        return new NfsLayout(NfsExports.render(exports),
                MountUnits.render(exports, inventory.group(clientGroup), addresses, mountPoints));
    }
}
