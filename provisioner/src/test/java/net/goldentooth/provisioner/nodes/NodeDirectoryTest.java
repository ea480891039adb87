package net.goldentooth.provisioner.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class NodeDirectoryTest {

    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private final Inventory inv = InventoryParser.parse(
            "all:\n  children:\n    pis:\n      hosts:\n        a: {ansible_host: 10.0.0.1}\n        b:\n", "t.yaml");

    private static NodeFacts facts(String node) {
        return new NodeFacts(node, null, 1, "0.1", null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void inventoryHostsComeFirstThenStrangersAndLivenessIsThreeIntervals() {
        NodeDirectory dir = new NodeDirectory(clock, Duration.ofSeconds(15));
        dir.record(facts("a"));
        dir.record(facts("zeta"));
        List<NodeView> view = dir.view(inv);
        assertEquals(List.of("a", "b", "zeta"), view.stream().map(NodeView::node).toList());
        assertTrue(view.get(0).live());
        assertEquals("10.0.0.1", view.get(0).address());
        assertEquals(List.of("pis"), view.get(0).groups());
        assertFalse(view.get(1).live());
        assertNull(view.get(1).facts());
        assertFalse(view.get(2).inInventory());

        clock.advance(Duration.ofSeconds(44));
        assertTrue(dir.view(inv).get(0).live());
        clock.advance(Duration.ofSeconds(1));
        assertFalse(dir.view(inv).get(0).live());
        assertEquals(clock.instant().minusSeconds(45), dir.view(inv).get(0).lastSeen());
    }

    /** The seed's node 8 days behind: its facts and beats carry its clock, the bus times them. */
    @Test
    void aBeatingNodeIsLiveBySixBeatsOfAppendTimeWhateverItsClock() {
        NodeDirectory dir = new NodeDirectory(clock, Duration.ofSeconds(15));
        NodeFacts skewed = new NodeFacts("a", clock.instant().minus(Duration.ofDays(8)), 1, "0.1", null, null, null,
                null, null, null, null, null, null, null);
        dir.record(skewed, clock.instant());
        dir.beat("a", clock.instant().plusSeconds(1), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(6));
        assertTrue(dir.isLive("a"));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(dir.isLive("a"), "six missed beats, not three facts intervals");
        // An older record read late (a replay) does not bring it back.
        dir.beat("a", clock.instant().minusSeconds(30), Duration.ofSeconds(1));
        assertFalse(dir.isLive("a"));
    }

    @Test
    void replayedFactsAreTimedByTheirAppendNotByTheirArrival() {
        NodeDirectory dir = new NodeDirectory(clock, Duration.ofSeconds(15));
        dir.record(facts("a"), clock.instant().minus(Duration.ofDays(2)));
        assertFalse(dir.isLive("a"), "dead for two days, read back at start-up");
        assertEquals(clock.instant().minus(Duration.ofDays(2)), dir.view(inv).get(0).lastSeen());
    }
}
