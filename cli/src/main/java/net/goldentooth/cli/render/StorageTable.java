package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.goldentooth.events.storage.KeptSnapshot;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotPlanView;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.StorageStatusView;

/** {@code goldentooth storage status|plan|replicate} output. */
public final class StorageTable {

    private StorageTable() {
    }

    /** One row per dataset × target: snapshot counts per period, last snapshot, lag and state. */
    public static void status(StorageStatusView view, Instant now, PrintStream out) {
        if (view.datasets() == null || view.datasets().isEmpty()) {
            out.println("no datasets: storage-service has no sanoid.conf sections (see storage-service/README.md)");
            return;
        }
        out.println("source " + view.source() + ", targets " + (view.targets().isEmpty() ? "none"
                : String.join(", ", view.targets())));
        Table table = new Table("DATASET", "SNAPSHOTS", "LAST SNAPSHOT", "TARGET", "STATE", "BEHIND", "LAG", "LAST SYNC",
                "ERROR");
        for (StorageStatusView.DatasetView d : view.datasets()) {
            SnapshotRun run = d.lastRun();
            String counts = run == null || run.counts() == null ? "-" : counts(run.counts());
            String newest = run == null || run.newest() == null ? "-" : run.newest();
            if (d.replication().isEmpty()) {
                table.add(d.dataset(), counts, newest, "-", "-", "-", "-", "-", runError(run));
            }
            for (ReplicationStatus r : d.replication()) {
                table.add(d.dataset(), counts, newest, r.target(), r.state().wire(), String.valueOf(r.snapshotsBehind()),
                        r.lagSeconds() == 0 ? "0" : Ages.since(now.minusSeconds(r.lagSeconds()), now),
                        r.lastSuccessAt() == null ? "never" : Ages.since(r.lastSuccessAt(), now) + " ago",
                        r.lastError() == null ? runError(run) : r.lastError());
            }
        }
        table.print(out);
    }

    private static String runError(SnapshotRun run) {
        return run == null || run.errors() == null || run.errors().isEmpty() ? "" : run.errors().get(0);
    }

    private static String counts(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return "0";
        }
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    public static void plan(SnapshotPlanView plan, PrintStream out) {
        out.println("plan for " + plan.dataset() + " on " + plan.node() + " at " + plan.plannedAt() + " (dry run)");
        section(out, "take", plan.take());
        section(out, "destroy", plan.destroy());
        out.println("keep beyond policy: " + (plan.kept().isEmpty() ? "none" : ""));
        for (KeptSnapshot kept : plan.kept()) {
            out.println("  " + kept.name() + "  (" + kept.reason() + ")");
        }
    }

    private static void section(PrintStream out, String title, List<String> names) {
        out.println(title + ": " + (names.isEmpty() ? "nothing" : ""));
        names.forEach(n -> out.println("  " + n));
    }

    public static void replicated(List<ReplicationStatus> results, PrintStream out) {
        Table table = new Table("DATASET", "TARGET", "STATE", "COMMON SNAPSHOT", "BEHIND", "BYTES", "ERROR");
        for (ReplicationStatus r : results) {
            table.add(r.dataset(), r.target(), r.state().wire(), r.lastCommon() == null ? "-" : r.lastCommon(),
                    String.valueOf(r.snapshotsBehind()), String.valueOf(r.bytesSent()),
                    r.lastError() == null ? "" : r.lastError());
        }
        table.print(out);
    }
}
