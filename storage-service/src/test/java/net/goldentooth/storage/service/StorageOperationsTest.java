package net.goldentooth.storage.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotPlanView;
import net.goldentooth.storage.execution.Replicator;
import net.goldentooth.storage.execution.SnapshotRunner;
import net.goldentooth.storage.execution.Transport;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.SanoidConfig;
import net.goldentooth.storage.policy.Schedule;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.storage.topology.ReplicationTopology;
import org.junit.jupiter.api.Test;

/** Cursors as the operations gather them, against a shell that answers listings per node. */
class StorageOperationsTest {

    static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");

    static String listing(List<String> names) {
        StringBuilder out = new StringBuilder();
        long t = Instant.parse("2026-03-01T00:00:00Z").getEpochSecond();
        for (String n : names) {
            out.append("rpool/data@").append(n).append("\tcreation\t").append(t).append('\n')
                    .append("rpool/data@").append(n).append("\tguid\t").append(n.hashCode()).append('\n');
            t += 3600;
        }
        return out.toString();
    }

    static List<String> hourlies(int from, int to) {
        List<String> names = new ArrayList<>();
        for (int h = from; h < to; h++) {
            names.add(String.format("autosnap_2026-03-01_%02d:00:00_hourly", h));
        }
        return names;
    }

    StorageOperations operations(NodeShell shell) {
        DatasetPolicy policy = new DatasetPolicy("rpool/data", Map.of(Period.HOURLY, 2), false, true, Recursion.NONE,
                Schedule.SANOID_DEFAULTS);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new StorageOperations(new SanoidConfig("sanoid.conf", List.of(policy)),
                new ReplicationTopology("allyrion", List.of("gardener")), UnaryOperator.identity(),
                new SnapshotRunner(shell, new SnapshotPlanner(ZoneOffset.UTC), clock),
                new Replicator(shell, Transport.local(), clock), run -> { }, status -> { });
    }

    @Test
    void aDivergedTargetsLastSharedSnapshotIsKeptBesideItsNewest() {
        List<String> source = hourlies(0, 10);
        List<String> target = new ArrayList<>(hourlies(0, 4));
        target.add("local-change");
        StorageOperations ops = operations((node, command, stdin) ->
                new ShellResult(0, listing(node.equals("allyrion") ? source : target), ""));
        ops.restore(new ReplicationStatus("rpool/data", "allyrion", "gardener", ReplicationState.DIVERGED,
                source.get(3), source.get(9), 6, 21600, 0, "diverged", NOW, null));

        SnapshotPlanView plan = ops.plan("rpool/data");

        assertFalse(plan.destroy().contains(source.get(3)), plan.toString());
        assertEquals(List.of(source.get(3)), plan.kept().stream().map(k -> k.name()).toList());
        assertEquals(7, plan.destroy().size());
    }

    @Test
    void anUnreachableTargetWithNoKnownBaseDefersPruning() {
        List<String> source = hourlies(0, 10);
        StorageOperations ops = operations((node, command, stdin) -> {
            if (node.equals("gardener")) {
                throw new NodeShellException(node, "job unreachable", true);
            }
            return new ShellResult(0, listing(source), "");
        });
        SnapshotPlanView plan = ops.plan("rpool/data");
        assertTrue(plan.destroy().isEmpty());
        assertEquals(8, plan.kept().size());
        assertTrue(plan.kept().get(0).reason().contains("unknown"), plan.kept().get(0).reason());
        assertThrows(UnknownDatasetException.class, () -> ops.plan("tank/nope"));
        assertThrows(UnknownTargetException.class, () -> ops.replicate("rpool/data", Optional.of("bettley")));
    }
}
