package net.goldentooth.monitor.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static AlertState state(String fp, AlertPhase phase, boolean inhibited) {
        return new AlertState(fp, "NodeDown", phase, "critical", Map.of("alertname", "NodeDown", "node", fp),
                Map.of("summary", "down"), T0, phase == AlertPhase.PENDING ? null : T0.plusSeconds(5),
                phase == AlertPhase.RESOLVED ? T0.plusSeconds(60) : null, T0, inhibited, null);
    }

    @Test
    void firingAndResolvedAreSentPendingAndInhibitedAreNot() {
        List<Map<String, Object>> body = AlertmanagerPayload.of(List.of(state("a", AlertPhase.FIRING, false),
                state("b", AlertPhase.RESOLVED, false), state("c", AlertPhase.PENDING, false),
                state("d", AlertPhase.FIRING, true)), T0.plusSeconds(100), Duration.ofSeconds(30), "http://m/");
        assertEquals(2, body.size());
        assertEquals("2026-11-25T10:00:05Z", body.get(0).get("startsAt"));
        assertEquals("2026-11-25T10:03:40Z", body.get(0).get("endsAt"));
        assertEquals("2026-11-25T10:01:00Z", body.get(1).get("endsAt"));
        assertEquals(Map.of("alertname", "NodeDown", "node", "a"), body.get(0).get("labels"));
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), AlertmanagerPayload.backoff(1, Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(8), AlertmanagerPayload.backoff(4, Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(60), AlertmanagerPayload.backoff(30, Duration.ofSeconds(60)));
    }
}
