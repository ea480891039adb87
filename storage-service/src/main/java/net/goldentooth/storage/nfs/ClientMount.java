package net.goldentooth.storage.nfs;

/**
 * One NFS client mount: the systemd units a client node gets for one export.
 *
 * @param what       {@code <server address>:<export path>}
 * @param where      the client's mount point
 * @param unitName   escaped unit name without suffix ({@code mnt-gpu\x2dstorage})
 */
public record ClientMount(String node, String what, String where, String unitName, String mountUnit,
                          String automountUnit) {
}
