package net.goldentooth.monitor.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.TestFacts;
import org.junit.jupiter.api.Test;

class FactsCheckTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void healthyFactsPassUntouched() {
        FactsCheck.Checked checked = FactsCheck.check(TestFacts.healthy("fenn", T0));
        assertEquals(List.of(), checked.errors());
        assertNotNull(checked.facts().thermal());
    }

    @Test
    void impossibleTemperatureIsADataErrorAndWithheld() {
        FactsCheck.Checked checked = FactsCheck.check(TestFacts.withTemperature("fenn", T0, 10_000.0));
        assertEquals(List.of(new DataError("fenn", "thermal", "cpu temperature 10000.0 °C is impossible")), checked.errors());
        assertNull(checked.facts().thermal());
        assertNotNull(checked.facts().memory());
    }

    @Test
    void negativeMemoryIsADataError() {
        FactsCheck.Checked checked = FactsCheck.check(TestFacts.build("fenn", T0, 45.0,
                new NodeFacts.Memory(8_000_000_000L, -5, 0, 0), 0.5));
        assertEquals("memory", checked.errors().get(0).section());
        assertNull(checked.facts().memory());
    }

    @Test
    void impossibleCountersAreADataErrorAndWithheldWhileTheirAbsenceIsNot() {
        NodeFacts healthy = TestFacts.healthy("fenn", T0);
        NodeFacts.Counters busyBeyondAll = new NodeFacts.Counters(500, 400, 10, 10);
        NodeFacts withBad = new NodeFacts("fenn", T0, 1, "test", healthy.host(), healthy.network(), healthy.thermal(),
                healthy.load(), healthy.memory(), healthy.filesystems(), healthy.timeSync(), healthy.units(),
                healthy.kernel(), healthy.certificates(), null, null, null, NodeFacts.Section.fresh(busyBeyondAll, T0));
        FactsCheck.Checked checked = FactsCheck.check(withBad);
        assertEquals(List.of("counters"), checked.errors().stream().map(DataError::section).toList());
        assertNull(checked.facts().counters());
        assertNotNull(checked.facts().memory());
        assertEquals(List.of(), FactsCheck.check(healthy).errors(), "an agent older than the counters is no error");
    }

    @Test
    void missingSectionsAreReportedByName() {
        NodeFacts bare = new NodeFacts("fenn", T0, 1, "test", null, null, null, null, null, null, null, null, null, null);
        FactsCheck.Checked checked = FactsCheck.check(bare);
        List<String> sections = checked.errors().stream().map(DataError::section).toList();
        assertTrue(sections.containsAll(List.of("thermal", "load", "memory", "filesystems", "timeSync", "network")), sections.toString());
        assertTrue(checked.errors().stream().allMatch(e -> e.reason().equals("missing")));
    }
}
