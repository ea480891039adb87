package net.goldentooth.storage.execution;

/** How a source node reaches a target's {@code zfs receive}: a command prefix, empty for the same machine. */
@FunctionalInterface
public interface Transport {

    String prefixFor(String targetNode);

    /** Source and target are this machine (zfs-fuse tests, a single-machine setup). */
    static Transport local() {
        return target -> "";
    }

    /**
     * SSH from source to target, e.g. {@code ssh -o BatchMode=yes root@{host}}: {@code {host}} is
     * replaced by the target node (names are inventory host names, validated before use).
     */
    static Transport ssh(String template) {
        return target -> {
            if (!target.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                throw new IllegalArgumentException("not a host name: '" + target + "'");
            }
            return template.replace("{host}", target);
        };
    }
}
