package net.goldentooth.storage.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.goldentooth.storage.planning.ReplicationCursor;
import net.goldentooth.storage.planning.SnapshotPlan;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.Schedule;
import net.goldentooth.storage.policy.Snapshot;
import net.goldentooth.storage.policy.SnapshotName;

/**
 * {@code bench/storage-plan}: planning time of one dataset with N snapshots (default 10,000,
 * mixed periods, two replication cursors), the seed's policy; prints p50/p99/max over the runs.
 * Not a test: it measures, it asserts nothing.
 */
public final class PlanBench {

    public static void main(String[] args) {
        int snapshots = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Instant now = Instant.parse("2026-11-25T15:20:00Z");
        Period[] periods = {Period.HOURLY, Period.HOURLY, Period.HOURLY, Period.DAILY, Period.MONTHLY, Period.FREQUENTLY};
        List<Snapshot> list = new ArrayList<>(snapshots);
        for (int i = 0; i < snapshots; i++) {
            Instant at = now.minus(Duration.ofMinutes(15L * (snapshots - i)));
            list.add(new Snapshot(SnapshotName.of(at, ZoneOffset.UTC, periods[i % periods.length]).format(), at));
        }
        DatasetPolicy policy = new DatasetPolicy("rpool/data", Map.of(Period.HOURLY, 36, Period.DAILY, 30,
                Period.MONTHLY, 3), true, true, Recursion.DATASETS, Schedule.SANOID_DEFAULTS);
        List<ReplicationCursor> cursors = List.of(new ReplicationCursor("erenford", list.get(snapshots / 2).name(), true),
                new ReplicationCursor("gardener", list.get(snapshots - 1).name(), true));
        SnapshotPlanner planner = new SnapshotPlanner(ZoneOffset.UTC);
        SnapshotPlan plan = null;
        for (int i = 0; i < 50; i++) {
            plan = planner.plan("rpool/data", list, policy, cursors, now);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            plan = planner.plan("rpool/data", list, policy, cursors, now);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("storage plan: %d snapshots, %d runs: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target <= 100 ms)%n",
                snapshots, runs, nanos[runs / 2] / 1e6, nanos[(int) (runs * 0.99)] / 1e6, nanos[runs - 1] / 1e6);
        System.out.printf("  plan: take %d, destroy %d, kept beyond policy %d%n", plan.take().size(),
                plan.destroy().size(), plan.kept().size());
    }
}
