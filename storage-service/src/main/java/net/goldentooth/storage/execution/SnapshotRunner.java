package net.goldentooth.storage.execution;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import net.goldentooth.events.storage.KeptSnapshot;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.SnapshotRunOutcome;
import net.goldentooth.storage.planning.ReplicationCursor;
import net.goldentooth.storage.planning.SnapshotPlan;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.Snapshot;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.storage.zfs.ZfsCommands;
import net.goldentooth.storage.zfs.ZfsListing;
import net.goldentooth.storage.zfs.ZfsSnapshot;
import org.jboss.logging.Logger;

/**
 * Plans and executes one snapshot run on a dataset through {@link NodeShell}: list, plan
 * (pure), take, destroy, list again for the counts.
 */
public final class SnapshotRunner {

    private static final Logger LOG = Logger.getLogger(SnapshotRunner.class);

    private final NodeShell shell;
    private final SnapshotPlanner planner;
    private final Clock clock;

    public SnapshotRunner(NodeShell shell, SnapshotPlanner planner, Clock clock) {
        this.shell = shell;
        this.planner = planner;
        this.clock = clock;
    }

    /** The snapshots of {@code dataset} on {@code node}, oldest first; empty if the dataset does not exist. */
    public List<ZfsSnapshot> list(String node, String dataset) {
        ShellResult result = shell.run(node, ZfsCommands.listSnapshots(dataset), null);
        if (!result.ok()) {
            if (ZfsListing.isMissingDataset(result.stderr())) {
                return List.of();
            }
            throw new NodeShellException(node, "listing " + dataset + " failed: " + result.errorLine(), true);
        }
        return ZfsListing.parse(dataset, result.stdout());
    }

    /** {@code dataset} and its descendants on {@code node}, as {@code zfs list -r} names them. */
    public List<String> tree(String node, String dataset) {
        ShellResult result = shell.run(node, ZfsCommands.listTree(dataset), null);
        if (!result.ok()) {
            throw new NodeShellException(node, "listing the datasets below " + dataset + " failed: " + result.errorLine(),
                    true);
        }
        return result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The dry run: what a run would do now. */
    public SnapshotPlan plan(String node, String dataset, DatasetPolicy policy, List<ReplicationCursor> cursors) {
        List<Snapshot> snapshots = list(node, dataset).stream().map(ZfsSnapshot::snapshot).toList();
        return planner.plan(dataset, snapshots, policy, cursors, clock.instant());
    }

    public SnapshotRun run(String node, String dataset, DatasetPolicy policy, List<ReplicationCursor> cursors) {
        String runId = UUID.randomUUID().toString();
        SnapshotPlan plan;
        try {
            plan = plan(node, dataset, policy, cursors);
        } catch (NodeShellException e) {
            return new SnapshotRun(runId, node, dataset, clock.instant(), clock.instant(), SnapshotRunOutcome.FAILED,
                    List.of(), List.of(), List.of(), List.of(), List.of(), List.of(e.getMessage()), Map.of(), null);
        }
        List<String> taken = new ArrayList<>();
        List<String> destroyed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try {
            for (String name : plan.take()) {
                ShellResult result = shell.run(node, ZfsCommands.snapshot(dataset, name, policy.recursion() == Recursion.ZFS), null);
                if (result.ok()) {
                    taken.add(name);
                } else {
                    errors.add("zfs snapshot " + dataset + "@" + name + ": " + result.errorLine());
                }
            }
            if (!plan.destroy().isEmpty()) {
                ShellResult result = shell.run(node, ZfsCommands.destroy(dataset, plan.destroy()), null);
                List<String> failed = result.stdout().lines().filter(l -> l.startsWith("failed "))
                        .map(l -> l.substring("failed ".length())).toList();
                for (String name : plan.destroy()) {
                    if (failed.contains(name)) {
                        errors.add("zfs destroy " + dataset + "@" + name + " failed");
                    } else {
                        destroyed.add(name);
                    }
                }
                if (!failed.isEmpty()) {
                    errors.add(result.stderr().strip());
                }
            }
        } catch (NodeShellException e) {
            errors.add(e.getMessage());
        }
        Map<String, Integer> counts = new TreeMap<>();
        String newest = null;
        try {
            List<ZfsSnapshot> after = list(node, dataset);
            for (ZfsSnapshot s : after) {
                s.snapshot().period().ifPresent(p -> counts.merge(p.key(), 1, Integer::sum));
            }
            newest = after.isEmpty() ? null : after.get(after.size() - 1).name();
        } catch (NodeShellException e) {
            errors.add(e.getMessage());
        }
        SnapshotRunOutcome outcome = errors.isEmpty() ? SnapshotRunOutcome.SUCCEEDED
                : taken.isEmpty() && destroyed.isEmpty() ? SnapshotRunOutcome.FAILED : SnapshotRunOutcome.PARTIAL;
        if (!errors.isEmpty()) {
            LOG.warnf("snapshot run on %s:%s %s: %s", node, dataset, outcome.wire(), errors);
        }
        List<KeptSnapshot> kept = plan.kept().stream().map(k -> new KeptSnapshot(k.name(), k.reason())).toList();
        return new SnapshotRun(runId, node, dataset, plan.plannedAt(), clock.instant(), outcome, plan.take(),
                plan.destroy(), kept, taken, destroyed, errors, counts, newest);
    }
}
