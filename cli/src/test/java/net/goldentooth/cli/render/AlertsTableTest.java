package net.goldentooth.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import org.junit.jupiter.api.Test;

class AlertsTableTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:10:00Z");

    private static AlertState alert(String name, AlertPhase phase, Instant since, Instant fired, String node) {
        return new AlertState(name + node, name, phase, "warning", Map.of("alertname", name, "severity", "warning",
                "node", node), Map.of("summary", name + " on " + node), since, fired,
                phase == AlertPhase.RESOLVED ? NOW : null, NOW, false, null);
    }

    @Test
    void firingFirstThenPendingWithHowLong() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int shown = AlertsTable.render(List.of(
                alert("CpuTemperatureHigh", AlertPhase.PENDING, NOW.minusSeconds(90), null, "fenn"),
                alert("NodeDown", AlertPhase.FIRING, NOW.minusSeconds(600), NOW.minusSeconds(300), "dalt"),
                alert("Old", AlertPhase.RESOLVED, NOW.minusSeconds(900), NOW.minusSeconds(800), "jast")),
                NOW, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, shown);
        assertTrue(lines[0].startsWith("ALERT"), lines[0]);
        assertTrue(lines[1].matches("NodeDown\\s+firing\\s+warning\\s+5m\\s+node=dalt\\s+NodeDown on dalt"), lines[1]);
        assertTrue(lines[2].matches("CpuTemperatureHigh\\s+pending\\s+warning\\s+90s\\s+node=fenn\\s+.*"), lines[2]);
    }

    @Test
    void nothingActiveSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, AlertsTable.render(List.of(), NOW, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("no alerts firing or pending", bytes.toString(StandardCharsets.UTF_8).trim());
    }
}
