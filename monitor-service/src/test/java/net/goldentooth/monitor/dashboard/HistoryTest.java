package net.goldentooth.monitor.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Counters;
import net.goldentooth.events.facts.NodeFacts.Section;
import org.junit.jupiter.api.Test;

/** CPU busy share and network bytes per second differenced from the facts' cumulative counters. */
class HistoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static History.Point at(int seconds) {
        return new History.Point(T0.plusSeconds(seconds), 48.0, 0.5, 0.4, 0.3);
    }

    private static Section<Counters> counters(int seconds, double busy, double all, long rx, long tx) {
        return Section.fresh(new Counters(busy, all, rx, tx), T0.plusSeconds(seconds));
    }

    @Test
    void ratesComeFromTheDifferenceWithThePreviousCounters() {
        History history = new History(Duration.ofHours(1));
        history.add(at(0), counters(0, 100, 1000, 5_000, 1_000));
        history.add(at(10), counters(10, 130, 1040, 25_000, 1_500));
        List<History.Point> points = history.points();
        assertNull(points.get(0).cpuBusyRatio(), "nothing to difference the first counters with");
        assertNull(points.get(0).networkReceiveBytesPerSecond());
        assertEquals(0.75, points.get(1).cpuBusyRatio(), 1e-9, "30 busy of 40 CPU seconds");
        assertEquals(2_000.0, points.get(1).networkReceiveBytesPerSecond(), 1e-9);
        assertEquals(50.0, points.get(1).networkTransmitBytesPerSecond(), 1e-9);
        assertEquals(48.0, points.get(1).temperature(), "the other figures are kept");
    }

    @Test
    void aRebootsSmallerCountersGiveNoRateAndAreTheNextBaseline() {
        History history = new History(Duration.ofHours(1));
        history.add(at(0), counters(0, 5_000, 90_000, 9_000_000, 9_000_000));
        history.add(at(10), counters(10, 2, 20, 1_000, 100));
        history.add(at(20), counters(20, 6, 60, 3_000, 300));
        List<History.Point> points = history.points();
        assertNull(points.get(1).cpuBusyRatio());
        assertNull(points.get(1).networkReceiveBytesPerSecond(), "no negative rate across a reboot");
        assertEquals(0.1, points.get(2).cpuBusyRatio(), 1e-9);
        assertEquals(200.0, points.get(2).networkReceiveBytesPerSecond(), 1e-9);
    }

    @Test
    void staleOrMissingCountersAreNotDifferenced() {
        History history = new History(Duration.ofHours(1));
        history.add(at(0), counters(0, 0, 100, 0, 0));
        history.add(at(10), new Section<>(new Counters(0, 100, 0, 0), true, "timed out", T0));
        history.add(at(20), null);
        history.add(at(30), counters(30, 30, 400, 6_000, 0));
        List<History.Point> points = history.points();
        assertEquals(4, points.size());
        assertNull(points.get(1).cpuBusyRatio());
        assertNull(points.get(2).cpuBusyRatio());
        assertEquals(0.1, points.get(3).cpuBusyRatio(), 1e-9, "against the last fresh counters, 30 s earlier");
        assertEquals(200.0, points.get(3).networkReceiveBytesPerSecond(), 1e-9);
    }
}
