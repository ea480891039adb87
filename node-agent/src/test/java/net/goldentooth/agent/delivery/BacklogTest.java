package net.goldentooth.agent.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.facts.NodeFacts.DeliveryGap;
import org.junit.jupiter.api.Test;

class BacklogTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(10);

    @Test
    void progressPastTheRecordBoundIsRefusedAndCountedAndRoomComesBackWithAcknowledgements() {
        Backlog<String> backlog = new Backlog<>(2, 1 << 20, THRESHOLD);
        assertTrue(backlog.admitProgress(10));
        assertTrue(backlog.admitProgress(10));
        assertFalse(backlog.admitProgress(10), "the third waits past the bound of two");
        assertEquals(1, backlog.progressDropped());
        assertEquals(2, backlog.progressInFlight());

        backlog.progressDone(10, true, T0, T0.plusMillis(5));
        assertTrue(backlog.admitProgress(10));
        assertEquals(1, backlog.progressDropped());
    }

    @Test
    void progressPastTheByteBoundIsRefused() {
        Backlog<String> backlog = new Backlog<>(100, 25, THRESHOLD);
        assertTrue(backlog.admitProgress(20));
        assertFalse(backlog.admitProgress(6));
        assertTrue(backlog.admitProgress(5));
        assertEquals(1, backlog.progressDropped());
    }

    @Test
    void aRecordThatFailedForGoodCountsAsDropped() {
        Backlog<String> backlog = new Backlog<>(10, 1 << 20, THRESHOLD);
        backlog.admitProgress(10);
        backlog.progressDone(10, false, T0, T0.plusSeconds(1));
        assertEquals(1, backlog.progressDropped());
        assertEquals(0, backlog.progressInFlight());
    }

    @Test
    void factsCoalesceToTheNewestPerNodeWhileOneIsInFlight() {
        Backlog<String> backlog = new Backlog<>(10, 1 << 20, THRESHOLD);
        assertTrue(backlog.offerFacts("bettley", "facts-1"), "nothing in flight: send now");
        assertFalse(backlog.offerFacts("bettley", "facts-2"));
        assertFalse(backlog.offerFacts("bettley", "facts-3"));
        assertTrue(backlog.offerFacts("fenn", "fenn-1"), "another node is not held back");
        assertEquals(1, backlog.factsCoalesced(), "facts-2 was replaced by facts-3 unsent");

        assertEquals("facts-3", backlog.factsDone("bettley", true, T0, T0.plusMillis(3)), "the newest goes next");
        assertNull(backlog.factsDone("bettley", true, T0, T0.plusMillis(6)));
        assertTrue(backlog.offerFacts("bettley", "facts-4"), "the node is free again");
    }

    @Test
    void aGapRunsFromTheFirstLateRecordsSendingUntilTheBacklogIsEmpty() {
        Backlog<String> backlog = new Backlog<>(10, 1 << 20, THRESHOLD);
        backlog.offerFacts("bettley", "facts-1");
        backlog.admitProgress(10);
        backlog.admitProgress(10);

        backlog.progressDone(10, true, T0.plusSeconds(2), T0.plusSeconds(40));
        assertNull(backlog.lastGap(), "still open while records wait");
        backlog.progressDone(10, true, T0.plusSeconds(5), T0.plusSeconds(40));
        assertNull(backlog.lastGap());
        backlog.factsDone("bettley", true, T0, T0.plusSeconds(41));

        DeliveryGap gap = backlog.lastGap();
        assertEquals(T0, gap.from(), "from the earliest late record's sending");
        assertEquals(T0.plusSeconds(41), gap.to());
        assertEquals(3, gap.delayedRecords());
        assertEquals(1, backlog.gaps());
    }

    @Test
    void acknowledgementsWithinTheThresholdAreNoGap() {
        Backlog<String> backlog = new Backlog<>(10, 1 << 20, THRESHOLD);
        backlog.admitProgress(10);
        backlog.progressDone(10, true, T0, T0.plus(THRESHOLD).minusMillis(1));
        assertNull(backlog.lastGap());
        assertEquals(0, backlog.gaps());
    }

    @Test
    void boundsMustBePositiveAndTheMessageNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backlog<>(0, 1, THRESHOLD));
        assertTrue(e.getMessage().startsWith("goldentooth.agent.outbox.max-progress-records"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backlog<>(1, 1, Duration.ZERO));
    }
}
