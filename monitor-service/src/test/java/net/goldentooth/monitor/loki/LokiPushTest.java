package net.goldentooth.monitor.loki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.Test;

class LokiPushTest {

    private static LogEntry line(String unit, String identifier, int priority, String message, Instant time) {
        return new LogEntry("bettley", "journal", unit, identifier, priority, message, time, null, null, null, "c", null, null);
    }

    @Test
    void linesAreGroupedIntoStreamsByNodeUnitAndPriorityWithNanosecondTimes() throws Exception {
        List<byte[]> bodies = LokiPush.bodies(List.of(
                line("ssh", "sshd", 4, "Failed password for root", Instant.parse("2026-12-07T03:00:00.000123456Z")),
                line(null, "kernel", 2, "Undervoltage detected!", Instant.parse("2026-12-07T03:00:01Z")),
                line("ssh", "sshd", 4, "Failed password for admin", Instant.parse("2026-12-07T03:00:02Z"))), 1 << 20);
        assertEquals(1, bodies.size());
        JsonNode streams = new ObjectMapper().readTree(bodies.get(0)).get("streams");
        assertEquals(2, streams.size());
        assertEquals(Map.of("node", "bettley", "unit", "ssh", "priority", "warning"),
                new ObjectMapper().convertValue(streams.get(0).get("stream"), Map.class));
        assertEquals("1796612400000123456", streams.get(0).get("values").get(0).get(0).asText());
        assertEquals("Failed password for admin", streams.get(0).get("values").get(1).get(1).asText());
        assertEquals("kernel", streams.get(1).get("stream").get("unit").asText());
        assertEquals("crit", streams.get(1).get("stream").get("priority").asText());
        assertEquals("1796612401000000000", streams.get(1).get("values").get(0).get(0).asText());
    }

    @Test
    void largeBatchesAreSplitIntoSeveralPushes() {
        List<LogEntry> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(line("app", "app", 6, "x".repeat(1000), Instant.EPOCH));
        }
        assertEquals(10, LokiPush.bodies(many, 10 * 1040).size());
    }
}
