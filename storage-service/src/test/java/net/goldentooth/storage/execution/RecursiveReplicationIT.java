package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.StorageStatusView;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.SanoidConfigParser;
import net.goldentooth.storage.service.StorageOperations;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.topology.ReplicationTopology;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code recursive = zfs} section over real zfs-fuse pools, driven through
 * {@link StorageOperations} as the service drives it: a parent and two children, each child its
 * own replication pair. One child is created after the first run and reaches the target by a full
 * send of its own; the other lags (its sends fail for a run, as with an unreachable target) while an
 * aggressive prune ({@code hourly = 2}, ten days later) runs on every dataset, and still keeps that
 * child's common base, so its next run is incremental from it.
 */
class RecursiveReplicationIT {

    static final String SOURCE = "allyrion";
    static final String TARGET = "gardener";

    @TempDir
    Path dir;
    ZfsFusePools pools;
    String parent;
    String childA;
    String childB;
    final List<String> commands = new ArrayList<>();
    final List<ReplicationStatus> published = new ArrayList<>();
    final List<SnapshotRun> runs = new ArrayList<>();
    final LocalNodeShell local = new LocalNodeShell(Duration.ofMinutes(2));
    /**
     * While set, send scripts streaming this dataset fail as an unreachable target makes them fail.
     * (Not a stream cut: zfs-fuse keeps a snapshot of a send killed by a broken pipe busy for a
     * while, so a prune right after would fail for that reason, not test the base protection.)
     */
    String unreachableFor;
    final NodeShell recording = (node, command, stdin) -> {
        commands.add(command);
        String run = command;
        if (unreachableFor != null && command.contains("zfs send -I '" + unreachableFor + "@")) {
            run = "echo 'ssh: connect to host " + TARGET + " port 22: Connection refused' >&2; exit 255";
        }
        return local.run(node, run, stdin);
    };
    final MutableClock clock = new MutableClock(Instant.now());
    StorageOperations operations;

    @BeforeEach
    void pools() throws Exception {
        pools = ZfsFusePools.create(dir);
        parent = pools.sourceDataset;
        childA = parent + "/a";
        childB = parent + "/b";
        pools.sh("zfs create " + childA);
        String conf = String.join("\n",
                "[" + parent + "]",
                "\thourly = 2",
                "\tdaily = 0",
                "\tmonthly = 0",
                "\tautosnap = no",
                "\tautoprune = yes",
                "\trecursive = zfs",
                "");
        String targetPool = pools.target;
        operations = new StorageOperations(SanoidConfigParser.parse("sanoid.conf", conf),
                new ReplicationTopology(SOURCE, List.of(TARGET)), d -> targetPool + d.substring(d.indexOf('/')),
                new SnapshotRunner(recording, new SnapshotPlanner(ZoneOffset.UTC), clock),
                new Replicator(recording, Transport.local(), clock), runs::add, published::add);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pools != null) {
            pools.close();
        }
    }

    /** {@code zfs snapshot -r} on the parent, as a {@code recursive = zfs} section takes them. */
    List<String> takeRecursive(int count, Instant end) {
        return pools.takeHourlies(parent, true, count, end);
    }

    String onTarget(String dataset) {
        return pools.target + dataset.substring(dataset.indexOf('/'));
    }

    Map<String, ReplicationStatus> byDataset(List<ReplicationStatus> statuses) {
        return statuses.stream().collect(Collectors.toMap(ReplicationStatus::dataset, Function.identity()));
    }

    List<String> sendsOf(String dataset) {
        return commands.stream().filter(c -> c.contains("zfs send") && c.contains("'" + dataset + "@")).toList();
    }

    @Test
    void eachChildIsAPairOfItsOwnAndPruningKeepsEachChildsCommonBase() {
        List<String> first = takeRecursive(2, Instant.parse("2026-01-01T02:00:00Z"));
        List<ReplicationStatus> firstRun = operations.replicate(parent, Optional.empty());
        assertEquals(List.of(parent, childA), firstRun.stream().map(ReplicationStatus::dataset).toList(),
                "parent first, one pair per dataset");
        Map<String, ReplicationStatus> run1 = byDataset(firstRun);
        for (String dataset : List.of(parent, childA)) {
            assertEquals(ReplicationState.IN_SYNC, run1.get(dataset).state(), String.valueOf(run1.get(dataset).lastError()));
            assertEquals(first, pools.snapshots(onTarget(dataset)), dataset);
        }
        String baseA = first.get(1);

        // A new child appears; the source goes on; child a's sends fail for one run.
        pools.sh("zfs create " + childB);
        List<String> later = takeRecursive(5, Instant.parse("2026-01-01T07:00:00Z"));
        commands.clear();
        unreachableFor = childA;
        Map<String, ReplicationStatus> run2 = byDataset(operations.replicate(parent, Optional.empty()));
        unreachableFor = null;

        assertEquals(ReplicationState.IN_SYNC, run2.get(parent).state(), String.valueOf(run2.get(parent).lastError()));
        assertEquals(ReplicationState.IN_SYNC, run2.get(childB).state(), String.valueOf(run2.get(childB).lastError()));
        assertEquals(later.get(4), run2.get(childB).lastCommon());
        assertTrue(sendsOf(childB).get(0).contains("zfs send '" + childB + "@" + later.get(0) + "'"),
                "a child missing on the target is created by a full send of that child: " + sendsOf(childB));
        assertEquals(later, pools.snapshots(onTarget(childB)), "all received; none is old enough to prune yet");
        ReplicationStatus lagging = run2.get(childA);
        assertEquals(ReplicationState.FAILED, lagging.state());
        assertTrue(lagging.lastError().contains("Connection refused"), lagging.lastError());
        assertEquals(baseA, lagging.lastCommon(), "its own common base");
        assertEquals(5, lagging.snapshotsBehind());
        assertEquals(later.get(4), lagging.sourceNewest());
        assertEquals(first, pools.snapshots(onTarget(childA)), "the target stays at its base");
        assertTrue(published.stream().anyMatch(s -> s.dataset().equals(childA) && s.state() == ReplicationState.FAILED),
                "each pair's state is published on its own");

        // Ten days later a hard prune: every dataset keeps its two newest hourlies, and child a its base.
        clock.advance(Duration.ofDays(10));
        runs.clear();
        operations.snapshot(parent);
        Map<String, SnapshotRun> pruned = new HashMap<>();
        runs.stream().filter(r -> r.node().equals(SOURCE)).forEach(r -> pruned.put(r.dataset(), r));
        assertEquals(List.of(later.get(3), later.get(4)), pools.snapshots(parent));
        assertEquals(List.of(later.get(3), later.get(4)), pools.snapshots(childB));
        assertEquals(List.of(baseA, later.get(3), later.get(4)), pools.snapshots(childA),
                "the lagging child's common base survives the prune: " + pruned.get(childA));
        assertEquals(List.of(baseA), pruned.get(childA).kept().stream().map(k -> k.name()).toList());
        assertTrue(pruned.get(childA).kept().get(0).reason().contains(TARGET), pruned.get(childA).kept().toString());
        assertTrue(pruned.get(parent).kept().isEmpty() && pruned.get(childB).kept().isEmpty(),
                "in-sync pairs need nothing kept beyond policy: their base is also the newest");

        // The next run brings child a in sync incrementally from its base: no full resend.
        commands.clear();
        Map<String, ReplicationStatus> run3 = byDataset(operations.replicate(parent, Optional.empty()));
        for (String dataset : List.of(parent, childA, childB)) {
            assertEquals(ReplicationState.IN_SYNC, run3.get(dataset).state(), String.valueOf(run3.get(dataset).lastError()));
            assertEquals(later.get(4), run3.get(dataset).lastCommon(), dataset);
        }
        assertEquals(1, sendsOf(childA).size(), commands.toString());
        assertTrue(sendsOf(childA).get(0).contains("zfs send -I '" + childA + "@" + baseA + "'"), sendsOf(childA).get(0));
        assertTrue(sendsOf(parent).isEmpty() && sendsOf(childB).isEmpty(), "the others were already in sync");
        assertEquals(pools.guid(childA, later.get(4)), pools.guid(onTarget(childA), later.get(4)));

        StorageStatusView status = operations.status();
        assertEquals(List.of(parent, childA, childB),
                status.datasets().stream().map(StorageStatusView.DatasetView::dataset).toList(),
                "the status shows every child with its own pairs");
        assertFalse(pools.tryRun("zfs destroy " + childA + "@" + later.get(4)).ok(), "child a's new base is held");
    }
}
