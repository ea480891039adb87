package net.goldentooth.storage.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import org.junit.jupiter.api.Test;

class CapacityEvaluatorTest {

    static final Instant T = Instant.parse("2026-11-25T15:00:00Z");

    static NodeFacts.Section<List<NodeFacts.Filesystem>> fs(long total, long available) {
        return new NodeFacts.Section<>(List.of(new NodeFacts.Filesystem("/rpool/data", "rpool/data", "zfs", total,
                available)), false, null, T);
    }

    @Test
    void levelsChangeAtEightyAndNinetyPercentAndArePublishedOncePerChange() {
        CapacityEvaluator evaluator = new CapacityEvaluator(80, 90);
        List<CapacityStatus> first = evaluator.evaluate("allyrion", fs(1000, 500), T);
        assertEquals(CapacityLevel.OK, first.get(0).level(), "the first observation is published");
        assertTrue(evaluator.evaluate("allyrion", fs(1000, 400), T).isEmpty(), "still ok: nothing new");
        CapacityStatus warning = evaluator.evaluate("allyrion", fs(1000, 200), T).get(0);
        assertEquals(CapacityLevel.WARNING, warning.level());
        assertEquals(80.0, warning.usedPercent());
        assertEquals(800, warning.usedBytes());
        assertTrue(evaluator.evaluate("allyrion", fs(1000, 150), T).isEmpty());
        assertEquals(CapacityLevel.CRITICAL, evaluator.evaluate("allyrion", fs(1000, 95), T).get(0).level());
        assertEquals(CapacityLevel.OK, evaluator.evaluate("allyrion", fs(1000, 900), T).get(0).level(),
                "going back to ok is a change too");
    }

    @Test
    void staleFactsDecideNothingAndARestoredLevelIsNotRepublished() {
        CapacityEvaluator evaluator = new CapacityEvaluator(80, 90);
        assertTrue(evaluator.evaluate("allyrion", new NodeFacts.Section<>(null, true, "timed out", T), T).isEmpty());
        evaluator.restore(new CapacityStatus("allyrion", "/rpool/data", "rpool/data", "zfs", 1000, 850, 85.0,
                CapacityLevel.WARNING, T));
        assertTrue(evaluator.evaluate("allyrion", fs(1000, 160), T).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new CapacityEvaluator(90, 80));
    }
}
