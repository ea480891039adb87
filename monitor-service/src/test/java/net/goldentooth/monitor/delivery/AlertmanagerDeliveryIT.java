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
}
