package net.goldentooth.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class BusClockTest {

    private static final Instant BUS = Instant.parse("2026-12-07T02:11:24Z");

    @Test
    void beforeAMeasurementItIsTheLocalClock() {
        MutableClock local = new MutableClock(BUS.minus(Duration.ofDays(8)));
        assertEquals(local.instant(), new BusClock(local).instant());
    }

    @Test
    void aMeasuredOffsetCorrectsTheLocalClock() {
        MutableClock local = new MutableClock(BUS.minus(Duration.ofDays(8)));
        BusClock bus = new BusClock(local);
        bus.offset(new OffsetEstimator.Offset(Duration.ofDays(-8), Duration.ofMillis(3)));
        assertEquals(BUS, bus.instant());
        local.advance(Duration.ofSeconds(90));
        assertEquals(BUS.plusSeconds(90), bus.instant());
    }

    @Test
    void theLedgersClockIsTheEarlierOfTheTwo() {
        MutableClock local = new MutableClock(BUS.plus(Duration.ofDays(8)));
        BusClock bus = new BusClock(local);
        bus.offset(new OffsetEstimator.Offset(Duration.ofDays(8), Duration.ofMillis(3)));
        assertEquals(BUS, bus.earlierOfLocalAndBus().instant(), "a clock ahead does not make the ledger forget");
        local.set(BUS.minus(Duration.ofDays(8)));
        bus.offset(new OffsetEstimator.Offset(Duration.ofDays(-8), Duration.ofMillis(3)));
        assertEquals(BUS.minus(Duration.ofDays(8)), bus.earlierOfLocalAndBus().instant(),
                "a clock behind keeps ids longer, never shorter");
        // Just after a step: the local clock is right, the offset not yet re-measured.
        local.set(BUS);
        assertEquals(BUS, bus.earlierOfLocalAndBus().instant());
    }

    @Test
    void theSkewIsDescribedForPeople() {
        assertEquals("8.0 days behind", BusClock.describe(Duration.ofDays(-8)));
        assertEquals("1.500 s ahead", BusClock.describe(Duration.ofMillis(1500)));
        assertEquals("2.0 h ahead", BusClock.describe(Duration.ofHours(2)));
    }
}
