package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.SnapshotRunOutcome;
import net.goldentooth.storage.planning.ReplicationCursor;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.Schedule;
import net.goldentooth.storage.policy.SnapshotName;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.ShellResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ZFS (Debian's zfs-fuse): two pools on image files stand for the source and target nodes,
 * the replicator and snapshot runner act through a {@link NodeShell} that runs on this machine,
 * and every command they send is recorded so the tests can tell an incremental send from a full one.
 */
class ZfsFuseReplicationIT {

    @TempDir
    Path dir;
    ZfsFusePools pools;
    final List<String> commands = new ArrayList<>();
    final LocalNodeShell local = new LocalNodeShell(Duration.ofMinutes(2));
    /** When positive, that many of the next send scripts have their stream cut after 100 bytes. */
    final AtomicInteger cutStreams = new AtomicInteger();
    final NodeShell recording = (node, command, stdin) -> {
        commands.add(command);
        String run = command;
        if (command.contains("zfs send") && cutStreams.getAndDecrement() > 0) {
            run = command.replaceFirst("(zfs send [^;]*);", "$1 | head -c 100;");
        }
        return local.run(node, run, stdin);
    };
    final Replicator replicator = new Replicator(recording, Transport.local(), Clock.systemUTC());

    @BeforeEach
    void pools() throws Exception {
        pools = ZfsFusePools.create(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pools != null) {
            pools.close();
        }
    }

    /** Takes hourly snapshots named as sanoid would, stamped one hour apart ending at {@code end}. */
    List<String> takeHourlies(int count, Instant end) {
        return pools.takeHourlies(pools.sourceDataset, false, count, end);
    }

    ReplicationStatus replicate(ReplicationStatus previous) {
        return replicator.replicate(pools.sourceDataset, "allyrion", "gardener", pools.targetDataset, previous);
    }

    List<String> fullSends() {
        return commands.stream().filter(c -> c.contains("zfs send '")).toList();
    }

    @Test
    void neverLosesTheCommonBaseWhenPruningAggressivelyWhileTheTargetLags() {
        List<String> first = takeHourlies(3, Instant.parse("2026-01-01T03:00:00Z"));
        ReplicationStatus synced = replicate(null);
        assertEquals(ReplicationState.IN_SYNC, synced.state(), String.valueOf(synced.lastError()));
        assertEquals(first, pools.snapshots(pools.targetDataset));
        String base = first.get(2);
        String baseGuid = pools.guid(pools.targetDataset, base);

        // The target stops receiving while the source goes on; then a run prunes hard: keep 2 hourlies.
        List<String> later = takeHourlies(5, Instant.parse("2026-01-01T08:00:00Z"));
        DatasetPolicy aggressive = new DatasetPolicy(pools.sourceDataset, Map.of(Period.HOURLY, 2), false, true,
                Recursion.NONE, Schedule.SANOID_DEFAULTS);
        Clock tenDaysLater = Clock.fixed(Instant.now().plus(Duration.ofDays(10)), ZoneOffset.UTC);
        SnapshotRunner runner = new SnapshotRunner(recording, new SnapshotPlanner(ZoneOffset.UTC), tenDaysLater);
        String targetNewest = pools.snapshots(pools.targetDataset).get(2);
        SnapshotRun run = runner.run("allyrion", pools.sourceDataset, aggressive,
                List.of(new ReplicationCursor("gardener", targetNewest, true)));

        assertEquals(SnapshotRunOutcome.SUCCEEDED, run.outcome(), run.errors().toString());
        assertEquals(List.of(base), run.kept().stream().map(k -> k.name()).toList(), "the base is kept beyond policy");
        assertTrue(run.kept().get(0).reason().contains("gardener"), run.kept().get(0).reason());
        assertEquals(List.of(first.get(0), first.get(1), later.get(0), later.get(1), later.get(2)), run.destroyed());
        assertEquals(List.of(base, later.get(3), later.get(4)), pools.snapshots(pools.sourceDataset));
        assertFalse(pools.tryRun("zfs destroy " + pools.sourceDataset + "@" + base).ok(),
                "the base carries a hold, so not even another tool can destroy it");

        int fullSendsBefore = fullSends().size();
        ReplicationStatus caughtUp = replicate(synced);
        assertEquals(ReplicationState.IN_SYNC, caughtUp.state(), String.valueOf(caughtUp.lastError()));
        assertEquals(fullSendsBefore, fullSends().size(), "no full resend: " + commands);
        assertTrue(commands.get(commands.size() - 3).contains("zfs send -I '" + pools.sourceDataset + "@" + base + "'"),
                commands.toString());
        assertEquals(baseGuid, pools.guid(pools.targetDataset, base), "the target kept its data; nothing was re-received");
        assertEquals(later.get(4), caughtUp.lastCommon());
        assertEquals(0, caughtUp.snapshotsBehind());
        assertTrue(caughtUp.bytesSent() > 0);
        assertTrue(pools.snapshots(pools.targetDataset).containsAll(List.of(first.get(0), base, later.get(4))));
        // The new base is held and the old one released: the next run may prune the old base.
        assertTrue(pools.tryRun("zfs destroy " + pools.sourceDataset + "@" + base).ok(), "old base released");
        assertFalse(pools.tryRun("zfs destroy " + pools.sourceDataset + "@" + later.get(4)).ok(), "new base held");
    }

    @Test
    void aDivergedTargetStopsThePairAndDestroysNothing() {
        takeHourlies(2, Instant.parse("2026-01-01T02:00:00Z"));
        ReplicationStatus synced = replicate(null);
        assertEquals(ReplicationState.IN_SYNC, synced.state(), String.valueOf(synced.lastError()));
        pools.sh("zfs snapshot " + pools.targetDataset + "@local-change");
        takeHourlies(1, Instant.parse("2026-01-01T05:00:00Z"));
        List<String> targetBefore = pools.snapshots(pools.targetDataset);
        List<String> sourceBefore = pools.snapshots(pools.sourceDataset);
        int sendsBefore = (int) commands.stream().filter(c -> c.contains("zfs send")).count();

        ReplicationStatus diverged = replicate(synced);

        assertEquals(ReplicationState.DIVERGED, diverged.state());
        assertTrue(diverged.lastError().contains("local-change"), diverged.lastError());
        assertEquals(synced.lastCommon(), diverged.lastCommon(), "the newest snapshot still shared");
        assertEquals(1, diverged.snapshotsBehind());
        assertEquals(targetBefore, pools.snapshots(pools.targetDataset));
        assertEquals(sourceBefore, pools.snapshots(pools.sourceDataset));
        assertEquals(sendsBefore, commands.stream().filter(c -> c.contains("zfs send")).count(), "nothing sent");
    }

    @Test
    void aStreamCutMidwayIsRetriedFromTheCommonBaseAndTheTargetStaysConsistent() {
        List<String> first = takeHourlies(2, Instant.parse("2026-01-01T02:00:00Z"));
        ReplicationStatus synced = replicate(null);
        assertEquals(ReplicationState.IN_SYNC, synced.state(), String.valueOf(synced.lastError()));
        List<String> later = takeHourlies(4, Instant.parse("2026-01-01T07:00:00Z"));

        cutStreams.set(2); // the send and its retry are both cut: the run fails
        ReplicationStatus failed = replicate(synced);
        assertEquals(ReplicationState.FAILED, failed.state());
        assertTrue(failed.lastError().contains("after one retry from the common base"), failed.lastError());
        assertEquals(first.get(1), failed.lastCommon());
        assertEquals(4, failed.snapshotsBehind());
        assertEquals(first, pools.snapshots(pools.targetDataset), "the target is still exactly at the base");

        cutStreams.set(1); // only the first attempt is cut: the retry from the base succeeds
        ReplicationStatus recovered = replicate(failed);
        assertEquals(ReplicationState.IN_SYNC, recovered.state(), String.valueOf(recovered.lastError()));
        assertNull(recovered.lastError());
        List<String> all = new ArrayList<>(first);
        all.addAll(later);
        assertEquals(all, pools.snapshots(pools.targetDataset));
        assertNotEquals(failed.lastSuccessAt(), recovered.lastSuccessAt());
    }

    /**
     * Debian's zfs-fuse has no resumable receive (its ZFS predates {@code receive -s}): checked here
     * on the real binary, so the claim in ReplicatorTest and the README fails loudly if a newer
     * package brings it. The replicator learns this from the target and sends with plain
     * {@code zfs receive -F}.
     */
    @Test
    void zfsFuseHasNoResumableReceiveAndTheReplicatorDoesNotAskForIt() {
        ShellResult usage = pools.tryRun("zfs receive");
        assertTrue(usage.stderr().contains("receive [-vnF] <filesystem|volume|snapshot>"), usage.stderr());
        ShellResult dashS = pools.tryRun("zfs receive -s " + pools.targetDataset + " </dev/null");
        assertFalse(dashS.ok());
        assertTrue(dashS.stderr().contains("invalid option 's'"), dashS.stderr());
        ShellResult dashT = pools.tryRun("zfs send -t 1-abc");
        assertTrue(dashT.stderr().contains("invalid option 't'"), dashT.stderr());
        ShellResult token = pools.tryRun("zfs get -H -o value receive_resume_token " + pools.source);
        assertTrue(token.stderr().contains("invalid property 'receive_resume_token'"), token.stderr());

        takeHourlies(2, Instant.parse("2026-01-01T02:00:00Z"));
        ReplicationStatus synced = replicate(null);
        assertEquals(ReplicationState.IN_SYNC, synced.state(), String.valueOf(synced.lastError()));
        List<String> receives = commands.stream().filter(c -> c.contains("zfs receive")).toList();
        assertFalse(receives.isEmpty());
        assertTrue(receives.stream().allMatch(c -> c.contains("zfs receive -F '") && !c.contains("receive -F -s")),
                receives.toString());
    }

    @Test
    void snapshotRunTakesSanoidNamedSnapshotsOnAFreshDataset() {
        SnapshotRunner runner = new SnapshotRunner(recording, new SnapshotPlanner(ZoneOffset.UTC), Clock.systemUTC());
        DatasetPolicy seed = new DatasetPolicy(pools.sourceDataset,
                Map.of(Period.HOURLY, 36, Period.DAILY, 30, Period.MONTHLY, 3), true, true, Recursion.NONE, Schedule.SANOID_DEFAULTS);
        SnapshotRun run = runner.run("allyrion", pools.sourceDataset, seed, List.of());
        assertEquals(SnapshotRunOutcome.SUCCEEDED, run.outcome(), run.errors().toString());
        assertEquals(3, run.taken().size());
        assertEquals(Map.of("hourly", 1, "daily", 1, "monthly", 1), run.counts());
        assertTrue(pools.snapshots(pools.sourceDataset).stream().allMatch(n -> SnapshotName.parse(n).isPresent()));
        SnapshotRun again = runner.run("allyrion", pools.sourceDataset, seed, List.of());
        assertTrue(again.taken().isEmpty(), "nothing is due right after a run");
        ShellResult listing = pools.tryRun("zfs list -H -t snapshot -o name -r " + pools.sourceDataset);
        assertEquals(3, listing.stdout().lines().count());
    }
}
