package net.goldentooth.monitor.logs;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.api.LogPage;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/** {@code GET /logs} and {@code /logs/follow} against node.logs on the real broker. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class LogsResourceIT {

    @TestHTTPResource("/")
    URI base;

    private static LogEntry line(String node, String unit, int priority, String message, Instant time, String cursor) {
        return new LogEntry(node, "journal", unit, unit, priority, message, time, null, null, 100, cursor, null, null);
    }

    private static LogPage page(String query) {
        return EventCodec.decode(given().get("/logs?" + query).then().statusCode(200).extract().asByteArray(), LogPage.class);
    }

    @Test
    void linesOfSeveralNodesAreFilteredMergedInTimeOrderAndDeduplicated() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String a = "logs-a-" + suffix;
        String b = "logs-b-" + suffix;
        Instant t0 = Instant.now().minusSeconds(60);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.NODE_LOGS, a, line(a, "ssh", 4, "Failed password for root from 10.4.0.9", t0, "a1"));
            probe.send(Topics.NODE_LOGS, b, line(b, "kubelet", 3, "failed to get node info", t0.plusSeconds(1), "b1"));
            probe.send(Topics.NODE_LOGS, a, line(a, "ssh", 6, "Accepted publickey for root", t0.plusSeconds(2), "a2"));
            // The same line again, as at-least-once delivery may send it after a restart.
            probe.send(Topics.NODE_LOGS, a, line(a, "ssh", 6, "Accepted publickey for root", t0.plusSeconds(2), "a2"));
            probe.send(Topics.NODE_LOGS, b, line(b, "kubelet", 6, "Started kubelet", t0.plusSeconds(3), "b2"));
        }
        String nodes = "pattern=" + a + "," + b;
        LogPage all = page(nodes);
        assertEquals(List.of("Failed password for root from 10.4.0.9", "failed to get node info",
                "Accepted publickey for root", "Started kubelet"), all.lines().stream().map(LogEntry::message).toList());
        assertEquals(List.of(a, b, a, b), all.lines().stream().map(LogEntry::node).toList());
        assertEquals(List.of("Accepted publickey for root", "Started kubelet"),
                page(nodes + "&n=2").lines().stream().map(LogEntry::message).toList());
        assertEquals(List.of("Failed password for root from 10.4.0.9", "Accepted publickey for root"),
                page(nodes + "&unit=ssh.service").lines().stream().map(LogEntry::message).toList());
        assertEquals(List.of("Failed password for root from 10.4.0.9", "failed to get node info"),
                page(nodes + "&priority=warning").lines().stream().map(LogEntry::message).toList());
        assertEquals(List.of("Failed password for root from 10.4.0.9", "failed to get node info"),
                page(nodes + "&grep=fail").lines().stream().map(LogEntry::message).toList());
        assertEquals(List.of("failed to get node info", "Accepted publickey for root"),
                page(nodes + "&since=" + t0.plusSeconds(1) + "&until=" + t0.plusSeconds(2)).lines().stream()
                        .map(LogEntry::message).toList());
        assertEquals(List.of("Started kubelet"), page("pattern=" + b + "&n=1").lines().stream().map(LogEntry::message).toList());
    }

    @Test
    void sinceSeeksByTimeInsteadOfReadingEverything() throws Exception {
        String node = "logs-seek-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            for (int i = 0; i < 200; i++) {
                probe.send(Topics.NODE_LOGS, node, line(node, "app", 6, "old " + i, Instant.now(), "o" + i));
            }
            Thread.sleep(1100);
            Instant since = Instant.now();
            Thread.sleep(10);
            probe.send(Topics.NODE_LOGS, node, line(node, "app", 6, "new", Instant.now(), "n"));
            LogPage fromSince = page("pattern=" + node + "&since=" + since);
            assertEquals(List.of("new"), fromSince.lines().stream().map(LogEntry::message).toList());
            LogPage everything = page("pattern=" + node);
            assertEquals(201, everything.lines().size());
            assertTrue(fromSince.scanned() < everything.scanned() - 150,
                    "since must seek past the old records: scanned " + fromSince.scanned() + " of " + everything.scanned());
        }
    }

    @Test
    void badParametersAre400WithTheReason() {
        String body = given().get("/logs?pattern=all&priority=loud").then().statusCode(400).extract().asString();
        assertTrue(body.contains("priority"), body);
        body = given().get("/logs?pattern=all&since=yesterday").then().statusCode(400).extract().asString();
        assertTrue(body.contains("ISO-8601"), body);
        body = given().get("/logs?pattern=all&grep=(").then().statusCode(400).extract().asString();
        assertTrue(body.contains("grep"), body);
        given().get("/logs?pattern=a,,b").then().statusCode(400);
        given().get("/logs?pattern=all&n=many").then().statusCode(400);
    }

    @Test
    void followSendsTheLastLinesThenNewOnesAsTheyArrive() throws Exception {
        String node = "logs-follow-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.NODE_LOGS, node, line(node, "app", 6, "before", Instant.now(), "1"));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                    base.resolve("/logs/follow?pattern=" + node + "&n=5")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertTrue(nextData(events).contains("\"before\""));
                probe.send(Topics.NODE_LOGS, node, line(node, "app", 3, "after", Instant.now(), "2"));
                String data = nextData(events);
                assertTrue(data.contains("\"after\"") && !data.contains("\"before\""), data);
            }
        }
    }

    /** The data of the next event, waiting at most 20 s. */
    private static String nextData(BufferedReader events) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                while ((l = events.readLine()) != null) {
                    if (l.startsWith("data:")) {
                        return l.substring(5);
                    }
                }
                return "";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS);
    }
}
