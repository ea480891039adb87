package net.goldentooth.monitor.loki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/**
 * The Loki sink against the real broker and a {@link FakeLoki} (Grafana Loki cannot be installed
 * here; see there): lines pushed are found with their node, unit and priority labels; while Loki is
 * down nothing is committed, and after it is back every line arrives; an undecodable record is
 * dead-lettered.
 */
class LokiSinkIT {

    private static Set<String> await(FakeLoki loki, Map<String, String> selector, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> lines = new HashSet<>();
        while (System.nanoTime() < deadline) {
            lines = new HashSet<>(loki.lines(selector));
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(500);
        }
        return lines;
    }

    @Test
    void linesReachLokiWithTheirLabelsAndNothingIsLostAcrossALokiRestart() throws Exception {
        String node = "loki-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        try (FakeLoki loki = new FakeLoki();
             TopicProbe probe = new TopicProbe(bootstrap);
             EventPublisher deadLetters = new EventPublisher(bootstrap, "//monitor-service", Clock.systemUTC())) {
            loki.start();
            try (LokiSink sink = new LokiSink(bootstrap, loki.url(), "loki-it-" + node, deadLetters, (t, r) -> { })) {
                for (int i = 0; i < 100; i++) {
                    probe.send(Topics.NODE_LOGS, node, new LogEntry(node, "journal", i % 2 == 0 ? "ssh" : null, "kernel",
                            i % 2 == 0 ? 4 : 3, "first " + i, Instant.now(), null, null, null, "c" + i, null, null));
                }
                Set<String> first = await(loki, Map.of("node", node), 100);
                assertEquals(100, first.size());
                Map<Map<String, String>, List<String>> streams = loki.select(Map.of("node", node, "unit", "ssh",
                        "priority", "warning"));
                assertEquals(1, streams.size(), "one stream for ssh at warning: " + streams.keySet());
                assertEquals(Map.of("node", node, "unit", "ssh", "priority", "warning"), streams.keySet().iterator().next());
                assertEquals(50, streams.values().iterator().next().size());
                assertEquals(50, loki.lines(Map.of("node", node, "unit", "kernel", "priority", "err")).size(),
                        "a line without a unit is labelled with its identifier");

                loki.stop();
                for (int i = 0; i < 100; i++) {
                    probe.send(Topics.NODE_LOGS, node, new LogEntry(node, "journal", "ssh", "sshd", 6, "second " + i,
                            Instant.now(), null, null, null, "d" + i, null, null));
                }
                Thread.sleep(3000); // the sink fails its pushes and reads again from the last commit meanwhile
                loki.start();
                Set<String> all = await(loki, Map.of("node", node), 200);
                Set<String> expected = new HashSet<>();
                IntStream.range(0, 100).forEach(i -> {
                    expected.add("first " + i);
                    expected.add("second " + i);
                });
                assertEquals(expected, all);

                probe.sendRaw(Topics.NODE_LOGS, node, "{not json");
                List<?> dead = probe.awaitRecord(Topics.NODE_LOGS + Topics.DLQ_SUFFIX,
                        r -> node.equals(r.key()), Duration.ofSeconds(30));
                assertTrue(!dead.isEmpty(), "the undecodable record is dead-lettered");
                assertTrue(sink.pushed() >= 200);
                assertEquals(0, loki.refused(), "every push had Loki's format");
                assertEquals(0, sink.refused());
            }
        }
    }
}
