package net.goldentooth.storage.service;

import java.util.function.BooleanSupplier;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.ShellResult;

/**
 * The shell the planner and the replicator act through: every command that changes a pool (a
 * snapshot, a destroy, a send and receive, a hold) is issued only while this instance holds the
 * planner's lease, checked immediately before it. Listings ({@code zfs get}, {@code zfs list}) pass
 * on any instance, so a standby still answers dry runs. A leader that lost its lease in the middle
 * of a run (a GC pause past the lease) stops at its next change rather than after the run.
 */
public final class LeaderOnlyShell implements NodeShell {

    private final NodeShell shell;
    private final String election;
    private final BooleanSupplier leads;

    public LeaderOnlyShell(NodeShell shell, String election, BooleanSupplier leads) {
        this.shell = shell;
        this.election = election;
        this.leads = leads;
    }

    @Override
    public ShellResult run(String node, String command, String stdin) {
        if (!readOnly(command) && !leads.getAsBoolean()) {
            throw new NotLeaderException(election);
        }
        return shell.run(node, command, stdin);
    }

    /** The listings ZfsCommands builds: one {@code zfs get} or {@code zfs list}, nothing chained. */
    static boolean readOnly(String command) {
        String c = command.strip();
        return (c.startsWith("zfs get ") || c.startsWith("zfs list ")) && !c.matches(".*[;&|`$()<>\\n].*");
    }
}
