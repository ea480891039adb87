package net.goldentooth.storage.shell;

/**
 * Runs a shell command as root on a node. In production this is a job through the provisioner
 * ({@code job.requested} → {@code job.status}); in tests it runs on this machine, so the planner
 * and replicator are tested against real zfs-fuse pools without Kafka.
 */
public interface NodeShell {

    /**
     * @param stdin fed to the command's standard input; null for none
     * @return the command's exit code and output; a non-zero exit is a result, not an exception
     * @throws NodeShellException when the command could not be run at all (node unreachable,
     *                            job rejected or timed out)
     */
    ShellResult run(String node, String command, String stdin);
}
