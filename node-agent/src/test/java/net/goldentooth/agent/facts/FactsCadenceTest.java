package net.goldentooth.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;

class FactsCadenceTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private static CollectedFacts.SlowFacts slow(String unitState) {
        return new CollectedFacts.SlowFacts(null, null, null, Map.of("kubelet.service", unitState), Set.of("/"));
    }

    @Test
    void publishesAtStartThenEveryIntervalAndAtOnceOnAChange() {
        FactsCadence cadence = new FactsCadence(Duration.ofSeconds(15), Duration.ofSeconds(5));
        assertTrue(cadence.due(T0, slow("active")), "first facts right after start-up");
        assertFalse(cadence.due(T0.plusSeconds(5), slow("active")));
        assertTrue(cadence.due(T0.plusSeconds(6), slow("failed")), "a unit changed state");
        assertFalse(cadence.due(T0.plusSeconds(11), slow("failed")));
        assertTrue(cadence.due(T0.plusSeconds(21), slow("failed")), "the interval passed");
    }

    @Test
    void slowFactsIgnoreUptimeAndFreeSpace() {
        NodeFacts.Section<NodeFacts.Host> host1 = NodeFacts.Section.fresh(
                new NodeFacts.Host("bettley", "6.6", "aarch64", null, "Debian", 100), T0);
        NodeFacts.Section<NodeFacts.Host> host2 = NodeFacts.Section.fresh(
                new NodeFacts.Host("bettley", "6.6", "aarch64", null, "Debian", 115), T0);
        NodeFacts.Section<List<NodeFacts.Filesystem>> fs1 = NodeFacts.Section.fresh(
                List.of(new NodeFacts.Filesystem("/", "/dev/sda1", "ext4", 100, 50)), T0);
        NodeFacts.Section<List<NodeFacts.Filesystem>> fs2 = NodeFacts.Section.fresh(
                List.of(new NodeFacts.Filesystem("/", "/dev/sda1", "ext4", 100, 40)), T0);
        NodeFacts.Section<List<NodeFacts.Filesystem>> fs3 = NodeFacts.Section.fresh(
                List.of(new NodeFacts.Filesystem("/", "/dev/sda1", "ext4", 100, 40),
                        new NodeFacts.Filesystem("/mnt/nfs", "10.4.0.10:/mnt/usb1", "nfs4", 100, 40)), T0);
        assertEquals(facts(host1, fs1).slowFacts(), facts(host2, fs2).slowFacts());
        assertFalse(facts(host1, fs1).slowFacts().equals(facts(host1, fs3).slowFacts()), "a new mount is a change");
    }

    @Test
    void simulatedNodesAreSpreadSoEachIsDueOncePerInterval() {
        FactsCadence cadence = new FactsCadence(Duration.ofSeconds(15), Duration.ofSeconds(5));
        List<Integer> all = new ArrayList<>();
        for (long check = 0; check < 3; check++) {
            List<Integer> due = cadence.simulatedDue(10, check);
            assertTrue(due.size() <= 4, "no check sends all of them: " + due);
            all.addAll(due);
        }
        assertEquals(10, all.size());
        assertEquals(10, new TreeSet<>(all).size());
        assertEquals(cadence.simulatedDue(10, 0), cadence.simulatedDue(10, 3), "the next interval repeats");
    }

    private static CollectedFacts facts(NodeFacts.Section<NodeFacts.Host> host,
                                        NodeFacts.Section<List<NodeFacts.Filesystem>> fs) {
        return new CollectedFacts(host, NodeFacts.Section.fresh(null, T0), null, null, null, fs,
                null, NodeFacts.Section.fresh(Map.of(), T0), NodeFacts.Section.fresh(null, T0), null);
    }
}
