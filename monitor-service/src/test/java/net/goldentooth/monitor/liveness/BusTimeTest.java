package net.goldentooth.monitor.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BusTimeTest {

    private static final Instant APPENDED = Instant.parse("2026-12-07T02:11:24Z");
    private static final long S = 1_000_000_000L;

    @Test
    void beforeTheFirstAcknowledgementThereIsNoBusTime() {
        BusView view = new BusTime(Duration.ofSeconds(3)).view(5 * S);
        assertNull(view.now());
        assertFalse(view.up());
    }

    @Test
    void busTimeIsTheNewestAppendAdvancedByTheMonotonicClock() {
        BusTime bus = new BusTime(Duration.ofSeconds(3));
        bus.acked(100 * S, APPENDED);
        assertEquals(APPENDED.plusMillis(1500), bus.view(100 * S + 1_500_000_000L).now());
        assertTrue(bus.view(103 * S).up());
        assertNull(bus.view(103 * S).upSince(), "the first acknowledgement is no return from an outage");
    }

    @Test
    void anOutageIsSeenAndTheReturnIsStamped() {
        BusTime bus = new BusTime(Duration.ofSeconds(3));
        for (int s = 0; s <= 10; s++) {
            bus.acked((100 + s) * S, APPENDED.plusSeconds(s));
        }
        assertTrue(bus.view(113 * S).up());
        BusView down = bus.view(113 * S + 1);
        assertFalse(down.up());
        assertEquals(APPENDED.plusSeconds(13).plusNanos(1), down.now(), "bus time goes on through the outage");
        // The broker is back 20 s later; its clock also moved on by 20 s.
        bus.acked(131 * S, APPENDED.plusSeconds(31));
        BusView back = bus.view(131 * S);
        assertTrue(back.up());
        assertEquals(APPENDED.plusSeconds(31), back.upSince());
    }

    @Test
    void aMonitorThatWasStalledSeesTheGapEvenWithoutEvaluatingDuringIt() {
        BusTime bus = new BusTime(Duration.ofSeconds(3));
        bus.acked(100 * S, APPENDED);
        bus.acked(110 * S, APPENDED.plusSeconds(10));
        assertEquals(APPENDED.plusSeconds(10), bus.view(110 * S).upSince());
    }

    @Test
    void busTimeNeverGoesBack() {
        BusTime bus = new BusTime(Duration.ofSeconds(3));
        bus.acked(100 * S, APPENDED);
        Instant seen = bus.view(101 * S).now();
        // A slow acknowledgement anchors earlier than the extrapolation.
        bus.acked(101 * S + 1000, APPENDED.plusMillis(900));
        assertFalse(bus.view(101 * S + 1000).now().isBefore(seen));
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BusTime(Duration.ZERO));
    }
}
