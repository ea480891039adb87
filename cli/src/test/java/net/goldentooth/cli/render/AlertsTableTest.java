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
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.alert.SilenceMatcher;
import net.goldentooth.events.api.SilenceView;
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
    void silencedAlertsAreMarkedAndCurrentSilencesListed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AlertState hot = alert("CpuTemperatureHigh", AlertPhase.FIRING, NOW.minusSeconds(600), NOW.minusSeconds(300), "fenn");
        Silence active = new Silence("5b0c8f5e-2d1a", List.of(new SilenceMatcher("alertname", "CpuTemperatureHigh", false, true),
                new SilenceMatcher("node", "fenn|dalt", true, true)), NOW.minusSeconds(60), NOW.plusSeconds(7200),
                "fan swap", "alice", NOW.minusSeconds(60), "alice", NOW.minusSeconds(60), null);
        Silence over = new Silence("0000aaaa-1", List.of(new SilenceMatcher("node", "jast", false, false)),
                NOW.minusSeconds(900), NOW.minusSeconds(60), "old", "bob", NOW.minusSeconds(900), "bob", NOW, null);
        AlertsTable.render(List.of(hot), List.of(new SilenceView(active, "active", List.of(hot.fingerprint())),
                new SilenceView(over, "expired", List.of())), NOW, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[1].matches("CpuTemperatureHigh\\s+firing \\(silenced\\)\\s+.*"), lines[1]);
        assertTrue(lines[3].startsWith("SILENCE"), lines[3]);
        assertTrue(lines[4].matches("5b0c8f5e\\s+active \\(1 alerts\\)\\s+alertname=CpuTemperatureHigh,node=~fenn\\|dalt\\s+2h\\s+alice\\s+fan swap"),
                lines[4]);
        assertEquals(5, lines.length, "the expired silence is not listed");
    }

    @Test
    void nothingActiveSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, AlertsTable.render(List.of(), NOW, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("no alerts firing or pending", bytes.toString(StandardCharsets.UTF_8).trim());
    }
}
