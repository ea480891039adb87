package net.goldentooth.pki.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import org.junit.jupiter.api.Test;

class ClockOffsetsTest {

    private static final Instant APPENDED = Instant.parse("2026-12-07T02:11:24Z");

    private static NodeHeartbeat beat(String node, Instant sentAt, Long offsetMillis, Long errorMillis) {
        return new NodeHeartbeat(node, NodeHeartbeat.AGENT, 1, sentAt, 1000, offsetMillis, errorMillis);
    }

    /** The seed's case: no NTP facts at all, 8 days behind; before issue 16 it was served. */
    @Test
    void aNodeWithoutNtpFactsIsStillMeasuredAndRefused() {
        ClockOffsets offsets = new ClockOffsets();
        offsets.reported("bettley", null);
        offsets.heartbeat(beat("bettley", APPENDED.minus(Duration.ofDays(8)), Duration.ofDays(-8).toMillis(), 4L),
                APPENDED);
        assertEquals(-691_199.996, offsets.offsetOf("bettley"), 1e-9, "less the error");
        RefusedException e = assertThrows(RefusedException.class,
                () -> new ClockSkewPolicy(5.0).check("bettley", offsets.offsetOf("bettley")));
        assertEquals(RefusalReason.CLOCK_SKEW, e.reason());
    }

    @Test
    void theBusMeasurementWinsOverWhatTheNodeReports() {
        ClockOffsets offsets = new ClockOffsets();
        offsets.reported("fenn", 0.001);
        assertEquals(0.001, offsets.offsetOf("fenn"));
        offsets.heartbeat(beat("fenn", APPENDED.plusSeconds(30), 30_000L, 10L), APPENDED);
        assertEquals(29.99, offsets.offsetOf("fenn"), 1e-9);
        // An older beat (replayed out of order) changes nothing; a monitor's beat says nothing about a node.
        offsets.heartbeat(beat("fenn", APPENDED.minusSeconds(5), 0L, 1L), APPENDED.minusSeconds(5));
        offsets.heartbeat(new NodeHeartbeat("fenn", NodeHeartbeat.MONITOR, 1, APPENDED, 1000, null, null),
                APPENDED.plusSeconds(1));
        assertEquals(29.99, offsets.offsetOf("fenn"), 1e-9);
        assertNull(offsets.offsetOf("unknown"));
    }
}
