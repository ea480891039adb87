package net.goldentooth.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OffsetEstimatorTest {

    private static final Instant BUS = Instant.parse("2026-12-07T02:11:24Z");
    /** The seed's node (~L8420): its clock 8 days behind. */
    private static final Duration EIGHT_DAYS_BEHIND = Duration.ofDays(-8);

    private final OffsetEstimator estimator = new OffsetEstimator(4, Duration.ofSeconds(5), Duration.ofSeconds(1));

    /** A round trip whose append happened {@code appendAfter} into it, on a node {@code offset} off. */
    private boolean sample(Instant busSent, Duration offset, long roundTripMs, long appendAfterMs) {
        Instant sentLocal = busSent.plus(offset);
        return estimator.sample(sentLocal, sentLocal.plusMillis(roundTripMs), busSent.plusMillis(appendAfterMs));
    }

    @Test
    void nothingIsKnownBeforeTheFirstSample() {
        assertTrue(estimator.current().isEmpty());
    }

    @Test
    void theOffsetOfANodeEightDaysBehindIsMeasuredWithinHalfTheRoundTrip() {
        // The append came early in a 40 ms round trip: the midpoint estimate is 15 ms off, inside 20 + 1 ms.
        assertTrue(sample(BUS, EIGHT_DAYS_BEHIND, 40, 5));
        OffsetEstimator.Offset offset = estimator.current().orElseThrow();
        assertEquals(Duration.ofMillis(21), offset.error());
        assertTrue(offset.offset().minus(EIGHT_DAYS_BEHIND).abs().compareTo(offset.error()) <= 0, offset.toString());
        assertEquals(EIGHT_DAYS_BEHIND.plusMillis(15), offset.offset());
    }

    @Test
    void theShortestRecentRoundTripDecides() {
        sample(BUS, Duration.ZERO, 400, 390);
        sample(BUS.plusSeconds(1), Duration.ZERO, 10, 5);
        sample(BUS.plusSeconds(2), Duration.ZERO, 300, 10);
        OffsetEstimator.Offset offset = estimator.current().orElseThrow();
        assertEquals(Duration.ZERO, offset.offset());
        assertEquals(Duration.ofMillis(6), offset.error());
    }

    @Test
    void aBeatStuckBehindAnOutageOrAStepBackwardIsNoSample() {
        assertFalse(sample(BUS, Duration.ZERO, 20_000, 19_990), "acknowledged after a 20 s outage");
        assertFalse(estimator.sample(BUS, BUS.minusMillis(1), BUS), "acknowledged before it was sent");
        assertTrue(estimator.current().isEmpty());
    }

    @Test
    void aSteppedLocalClockDropsTheSamplesOfTheOldClock() {
        sample(BUS, EIGHT_DAYS_BEHIND, 4, 2);
        sample(BUS.plusSeconds(1), EIGHT_DAYS_BEHIND, 200, 100);
        // timedatectl set-ntp true: the clock is right now. The old 4 ms sample must not win.
        sample(BUS.plusSeconds(2), Duration.ZERO, 30, 15);
        assertEquals(Duration.ZERO, estimator.current().orElseThrow().offset());
    }

    @Test
    void onlyTheLastFewSamplesCount() {
        sample(BUS, Duration.ofMillis(300), 2, 1);
        for (int i = 1; i <= 4; i++) {
            sample(BUS.plusSeconds(i), Duration.ofMillis(300), 50, 25);
        }
        assertEquals(Duration.ofMillis(26), estimator.current().orElseThrow().error(), "the 2 ms sample aged out");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OffsetEstimator(0, Duration.ofSeconds(1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new OffsetEstimator(4, Duration.ZERO, Duration.ZERO));
    }
}
