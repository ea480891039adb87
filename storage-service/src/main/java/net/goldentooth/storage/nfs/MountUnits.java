package net.goldentooth.storage.nfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the seed's client units (seed lines 6455-6674, 9173-9362): a {@code .mount} unit and an
 * {@code .automount} unit (idle timeout 60 s) per export on every client, named by systemd's
 * path escaping and ordered after the network is online.
 */
public final class MountUnits {

    /** The seed's automount idle timeout. */
    static final int IDLE_TIMEOUT_SECONDS = 60;

    private MountUnits() {
    }

    /**
     * @param addresses  inventory address of each server ({@code ansible_host}); a server without
     *                   one is addressed by name
     * @param mountPoints the client mount point of each export path, when it differs (the seed
     *                   mounts allyrion's {@code /mnt/usb1} at {@code /mnt/nfs})
     */
    public static List<ClientMount> render(List<NfsExport> exports, List<String> clients,
                                           Map<String, String> addresses, Map<String, String> mountPoints) {
        List<ClientMount> mounts = new ArrayList<>();
        for (String client : clients) {
            for (NfsExport export : exports) {
                String what = addresses.getOrDefault(export.server(), export.server()) + ":" + export.path();
                String where = mountPoints.getOrDefault(export.server() + ":" + export.path(), export.path());
                String unit = SystemdEscape.path(where);
                mounts.add(new ClientMount(client, what, where, unit, mount(what, where), automount(what, where)));
            }
        }
        return mounts;
    }

    static String mount(String what, String where) {
        return "[Unit]\n"
                + "Description=NFS " + what + " at " + where + " (Goldentooth storage-service)\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n[Mount]\n"
                + "What=" + what + "\n"
                + "Where=" + where + "\n"
                + "Type=nfs\n"
                + "Options=defaults\n"
                + "\n[Install]\n"
                + "WantedBy=default.target\n";
    }

    static String automount(String what, String where) {
        return "[Unit]\n"
                + "Description=Automount NFS " + what + " at " + where + " (Goldentooth storage-service)\n"
                + "After=remote-fs-pre.target network-online.target network.target\n"
                + "Before=umount.target remote-fs.target\n"
                + "\n[Automount]\n"
                + "Where=" + where + "\n"
                + "TimeoutIdleSec=" + IDLE_TIMEOUT_SECONDS + "\n"
                + "\n[Install]\n"
                + "WantedBy=default.target\n";
    }
}
