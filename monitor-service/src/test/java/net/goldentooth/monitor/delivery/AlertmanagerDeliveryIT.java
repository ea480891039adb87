package net.goldentooth.monitor.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.monitor.FactsFeeder;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * The running service, configured with an Alertmanager URL, POSTs NodeDown to /api/v2/alerts when
 * it fires and again, with its end time, when it resolves. The receiving end records the bodies.
 */
@QuarkusTest
@TestProfile(AlertmanagerDeliveryIT.WithAlertmanager.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class AlertmanagerDeliveryIT {

    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;

    /** Points the service at a recording receiver started for this profile. */
    public static class WithAlertmanager implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("goldentooth.monitor.alertmanager-url", "http://127.0.0.1:" + receiver().getAddress().getPort(),
                    "goldentooth.monitor.hold-down", "1s");
        }
    }

    static synchronized HttpServer receiver() {
        if (receiver == null) {
            try {
                receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            receiver.createContext("/api/v2/alerts", e -> {
                RECEIVED.add(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                e.sendResponseHeaders(200, -1);
                e.close();
            });
            receiver.start();
        }
        return receiver;
    }

    private static void awaitBody(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String body : RECEIVED) {
                if (java.util.Arrays.stream(parts).allMatch(body::contains)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no POST containing " + List.of(parts) + "; received " + RECEIVED);
    }

    /** A resolved alert carries its real end; a firing one ends minutes ahead (now + 4 x resend). */
    private static boolean endsNow(String body, String node) {
        try {
            for (var alert : net.goldentooth.events.EventCodec.mapper().readTree(body)) {
                if (node.equals(alert.path("labels").path("node").asText())) {
                    java.time.Instant ends = java.time.Instant.parse(alert.path("endsAt").asText());
                    return ends.isBefore(java.time.Instant.now().plusSeconds(5));
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void firingAndResolvedNodeDownArePosted() throws Exception {
        String node = "it-am-" + UUID.randomUUID().toString().substring(0, 8);
        try (FactsFeeder agent = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.healthy(node, at))) {
            Thread.sleep(2000);
            agent.stop();
            awaitBody("\"node\":\"" + node + "\"", "\"alertname\":\"NodeDown\"");
        }
        String firing = RECEIVED.stream().filter(b -> b.contains(node)).findFirst().orElseThrow();
        assertTrue(firing.contains("\"startsAt\"") && firing.contains("\"endsAt\"") && firing.contains("\"generatorURL\""),
                firing);
        int before = RECEIVED.size();
        try (FactsFeeder back = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.healthy(node, at))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean resolvedSent = false;
            while (!resolvedSent && System.nanoTime() < deadline) {
                resolvedSent = RECEIVED.subList(before, RECEIVED.size()).stream().anyMatch(b -> endsNow(b, node));
                Thread.sleep(100);
            }
            assertTrue(resolvedSent, "the resolution was not posted");
        }
    }

    /**
     * A silence on one node's NodeDown keeps it from Alertmanager while another node's NodeDown is
     * delivered; the silence is on alert.silences, where a restarted monitor finds it.
     */
    @Test
    void aSilencedAlertIsNotDelivered() throws Exception {
        String quiet = "it-am-quiet-" + UUID.randomUUID().toString().substring(0, 8);
        String loud = "it-am-loud-" + UUID.randomUUID().toString().substring(0, 8);
        String id = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"matchers\":[{\"name\":\"alertname\",\"value\":\"NodeDown\",\"isRegex\":false,\"isEqual\":true},"
                        + "{\"name\":\"node\",\"value\":\"" + quiet + "\",\"isRegex\":false,\"isEqual\":true}],"
                        + "\"duration\":\"10m\",\"comment\":\"planned power-off\"}")
                .post("/silences").then().statusCode(201).extract().path("silence.id");
        try (FactsFeeder a = new FactsFeeder(quiet, Duration.ofSeconds(1), at -> TestFacts.healthy(quiet, at));
             FactsFeeder b = new FactsFeeder(loud, Duration.ofSeconds(1), at -> TestFacts.healthy(loud, at))) {
            Thread.sleep(2000);
            a.stop();
            b.stop();
            awaitBody("\"node\":\"" + loud + "\"", "\"alertname\":\"NodeDown\"");
            // Both went down together; the silenced one fires too (it is listed) but is never posted.
            io.restassured.RestAssured.given().get("/alerts?state=firing").then().statusCode(200)
                    .body("findAll { it.labels.node == '" + quiet + "' }.size()", org.hamcrest.Matchers.equalTo(1));
            io.restassured.RestAssured.given().get("/silences").then()
                    .body("find { it.silence.id == '" + id + "' }.silencedAlerts.size()", org.hamcrest.Matchers.equalTo(1));
            Thread.sleep(2000);
            assertTrue(RECEIVED.stream().noneMatch(body -> body.contains(quiet)), "a silenced alert was delivered");
        }
        net.goldentooth.monitor.silences.SilenceBook reread = new net.goldentooth.monitor.silences.SilenceBook();
        net.goldentooth.kafka.ConsumerLoop.replay(net.goldentooth.testkit.KafkaBroker.shared().bootstrapServers(),
                net.goldentooth.events.Topics.ALERT_SILENCES, net.goldentooth.events.alert.Silence.class,
                "it-silences-reread", d -> reread.fold(d.event()));
        assertTrue(reread.get(id).isPresent(), "the silence is not on alert.silences");
        assertTrue(reread.silencing(Map.of("alertname", "NodeDown", "node", quiet), java.time.Instant.now()).isPresent());
    }
}
