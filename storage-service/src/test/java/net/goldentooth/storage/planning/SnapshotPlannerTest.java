package net.goldentooth.storage.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.Schedule;
import net.goldentooth.storage.policy.Snapshot;
import net.goldentooth.storage.policy.SnapshotName;
import org.junit.jupiter.api.Test;

class SnapshotPlannerTest {

    static final Instant NOW = Instant.parse("2026-03-11T10:20:00Z"); // a Wednesday
    final SnapshotPlanner planner = new SnapshotPlanner(ZoneOffset.UTC);

    static DatasetPolicy policy(Map<Period, Integer> retain) {
        return new DatasetPolicy("rpool/data", retain, true, true, Recursion.NONE, Schedule.SANOID_DEFAULTS);
    }

    static List<Snapshot> hourlies(int count, Instant newest) {
        List<Snapshot> list = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            Instant at = newest.minus(Duration.ofHours(i));
            list.add(new Snapshot(SnapshotName.of(at, ZoneOffset.UTC, Period.HOURLY).format(), at));
        }
        return list;
    }

    @Test
    void takesEachDuePeriodOnceWithTheSameStamp() {
        SnapshotPlan plan = planner.plan("rpool/data", List.of(), policy(Map.of(Period.HOURLY, 36, Period.DAILY, 30)),
                List.of(), NOW);
        assertEquals(List.of("autosnap_2026-03-11_10:20:00_daily", "autosnap_2026-03-11_10:20:00_hourly"), plan.take());
    }

    @Test
    void takesNothingWhileTheNewestIsYoungerThanThePreferredTime() {
        List<Snapshot> snaps = hourlies(3, Instant.parse("2026-03-11T10:00:05Z"));
        SnapshotPlan plan = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 36)), List.of(), NOW);
        assertTrue(plan.take().isEmpty(), plan.toString());
        SnapshotPlan later = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 36)), List.of(),
                Instant.parse("2026-03-11T11:00:00Z"));
        assertEquals(List.of("autosnap_2026-03-11_11:00:00_hourly"), later.take());
    }

    @Test
    void neverDestroysTheNewestSnapshotSharedWithAnEnabledTarget() {
        List<Snapshot> snaps = hourlies(10, Instant.parse("2026-03-11T10:00:00Z"));
        String base = snaps.get(2).name();
        SnapshotPlan plan = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 2)),
                List.of(new ReplicationCursor("erenford", base, true),
                        new ReplicationCursor("gardener", snaps.get(9).name(), true)), NOW);
        assertEquals(7, plan.destroy().size(), plan.toString());
        assertFalse(plan.destroy().contains(base));
        assertEquals(1, plan.kept().size());
        assertEquals(base, plan.kept().get(0).name());
        assertTrue(plan.kept().get(0).reason().contains("erenford"), plan.kept().get(0).reason());
    }

    @Test
    void aDisabledTargetProtectsNothing() {
        List<Snapshot> snaps = hourlies(10, Instant.parse("2026-03-11T10:00:00Z"));
        SnapshotPlan plan = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 2)),
                List.of(new ReplicationCursor("erenford", snaps.get(2).name(), false)), NOW);
        assertEquals(8, plan.destroy().size());
        assertTrue(plan.kept().isEmpty());
    }

    @Test
    void foreignSnapshotsAndAutopruneOffAreNeverDestroyed() {
        List<Snapshot> snaps = new ArrayList<>(hourlies(5, Instant.parse("2026-03-10T10:00:00Z")));
        snaps.add(new Snapshot("syncoid_allyrion_2025-07-19:10:45:32-GMT-04:00", Instant.parse("2025-07-19T14:45:32Z")));
        SnapshotPlan plan = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 1)), List.of(), NOW);
        assertEquals(4, plan.destroy().size());
        assertFalse(plan.destroy().contains("syncoid_allyrion_2025-07-19:10:45:32-GMT-04:00"));
        DatasetPolicy noPrune = new DatasetPolicy("rpool/data", Map.of(Period.HOURLY, 1), true, false, Recursion.NONE,
                Schedule.SANOID_DEFAULTS);
        assertTrue(planner.plan("rpool/data", snaps, noPrune, List.of(), NOW).destroy().isEmpty());
    }

    @Test
    void plansTenThousandSnapshots() {
        List<Snapshot> snaps = hourlies(10_000, Instant.parse("2026-03-11T10:00:00Z"));
        SnapshotPlan plan = planner.plan("rpool/data", snaps, policy(Map.of(Period.HOURLY, 36)),
                List.of(new ReplicationCursor("erenford", snaps.get(100).name(), true)), NOW);
        assertEquals(10_000 - 36 - 1, plan.destroy().size());
        assertEquals(snaps.get(100).name(), plan.kept().get(0).name());
    }

    @Test
    void preferredTimesFollowSanoidsSchedule() {
        Schedule s = Schedule.SANOID_DEFAULTS; // daily 23:59, weekly Monday 23:30, monthly 1st 00:00
        assertEquals(Instant.parse("2026-03-10T23:59:00Z"), planner.lastPreferred(Period.DAILY, s, NOW));
        assertEquals(Instant.parse("2026-03-09T23:30:00Z"), planner.lastPreferred(Period.WEEKLY, s, NOW));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), planner.lastPreferred(Period.MONTHLY, s, NOW));
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), planner.lastPreferred(Period.YEARLY, s, NOW));
        assertEquals(Instant.parse("2026-03-11T10:15:00Z"), planner.lastPreferred(Period.FREQUENTLY, s, NOW));
        assertEquals(Instant.parse("2026-03-11T10:00:00Z"), planner.lastPreferred(Period.HOURLY, s, NOW));
        Schedule late = new Schedule(15, 30, 23, 59, 1, 23, 30, 31, 0, 0, 12, 31, 0, 0);
        assertEquals(Instant.parse("2026-03-11T09:30:00Z"), planner.lastPreferred(Period.HOURLY, late, NOW));
        assertEquals(Instant.parse("2026-02-28T00:00:00Z"), planner.lastPreferred(Period.MONTHLY, late,
                Instant.parse("2026-02-28T10:00:00Z")), "the 31st is clamped to February's last day");
        assertEquals(Instant.parse("2025-12-31T00:00:00Z"), planner.lastPreferred(Period.YEARLY, late, NOW));
    }
}
