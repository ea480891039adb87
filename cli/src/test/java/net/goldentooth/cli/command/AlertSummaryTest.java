package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import org.junit.jupiter.api.Test;

class AlertSummaryTest {

    private static AlertState alert(AlertPhase phase, String severity, boolean inhibited) {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        return new AlertState("f" + phase + severity + inhibited, "A", phase, severity, Map.of(), Map.of(), t, t, null, t,
                inhibited, null);
    }

    @Test
    void countsFiringBySeverityPendingAndInhibited() {
        assertEquals("alerts: 3 firing (1 critical, 2 warning), 1 pending, 1 inhibited by NodeDown", AlertSummary.line(List.of(
                alert(AlertPhase.FIRING, "warning", false), alert(AlertPhase.FIRING, "critical", false),
                new AlertState("x", "B", AlertPhase.FIRING, "warning", Map.of(), Map.of(), Instant.EPOCH, Instant.EPOCH,
                        null, Instant.EPOCH, false, null),
                alert(AlertPhase.PENDING, "warning", false), alert(AlertPhase.FIRING, "warning", true),
                alert(AlertPhase.RESOLVED, "critical", false))));
        assertEquals("alerts: 0 firing, 0 pending", AlertSummary.line(List.of()));
    }
}
