package net.goldentooth.storage.nfs;

import java.util.List;
import java.util.regex.Pattern;

/** The job commands that install what {@link NfsLayout} renders. */
public final class NfsCommands {

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_./-]*");
    private static final String END = "GOLDENTOOTH_UNIT_END";

    private NfsCommands() {
    }

    /**
     * Installs a client's units and starts the automounts: each unit written whole, then
     * {@code daemon-reload} and {@code enable --now} of every {@code .automount}.
     */
    public static String installClientUnits(List<ClientMount> mounts) {
        StringBuilder script = new StringBuilder("set -e\n");
        for (ClientMount m : mounts) {
            if (!PATH.matcher(m.where()).matches() || m.where().contains("..")) {
                throw new NfsConfigException("mount point '" + m.where() + "' of " + m.node() + " is not a plain path");
            }
            if (m.mountUnit().contains(END) || m.automountUnit().contains(END)) {
                throw new NfsConfigException("unit text of " + m.unitName() + " contains the heredoc terminator");
            }
            String base = "/etc/systemd/system/" + m.unitName();
            script.append("mkdir -p '").append(m.where()).append("'\n")
                    .append("cat > '").append(base).append(".mount' <<'").append(END).append("'\n")
                    .append(m.mountUnit()).append(END).append('\n')
                    .append("cat > '").append(base).append(".automount' <<'").append(END).append("'\n")
                    .append(m.automountUnit()).append(END).append('\n');
        }
        script.append("systemctl daemon-reload\n");
        for (ClientMount m : mounts) {
            script.append("systemctl enable --now '").append(m.unitName()).append(".automount'\n");
        }
        return script.toString();
    }

    /** Lists a server's exports as NFS clients see them. */
    public static String showmount() {
        return "showmount -e localhost";
    }
}
