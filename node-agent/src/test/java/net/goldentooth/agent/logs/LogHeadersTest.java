package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.Topics;
import org.junit.jupiter.api.Test;

class LogHeadersTest {

    private static String text(Map<String, byte[]> headers, String key) {
        return new String(headers.get(key), StandardCharsets.UTF_8);
    }

    @Test
    void theHeadersAreThoseOfCloudEventHeadersWithAFreshVersion4IdEach() {
        Instant at = Instant.parse("2026-12-07T06:30:00.123456Z");
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        Map<String, byte[]> reference = CloudEventHeaders.forEvent(Topics.NODE_LOGS, "//agent/bettley", Instant.ofEpochMilli(at.toEpochMilli()));
        LogHeaders logs = new LogHeaders("//agent/bettley", clock);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, byte[]> headers = logs.next();
            assertEquals(reference.keySet().stream().toList(), headers.keySet().stream().toList(), "same headers, same order");
            for (String key : reference.keySet()) {
                if (!key.equals(CloudEventHeaders.ID)) {
                    assertEquals(text(reference, key), text(headers, key), key);
                }
            }
            UUID id = UUID.fromString(text(headers, CloudEventHeaders.ID));
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            ids.add(id.toString());
        }
        assertEquals(10_000, ids.size(), "every id is new");
    }
}
