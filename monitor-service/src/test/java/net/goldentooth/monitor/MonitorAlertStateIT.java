package net.goldentooth.monitor;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.liveness.LivenessPolicy;
import net.goldentooth.monitor.messaging.MonitorConsumers;
import net.goldentooth.monitor.rules.RuleFileParser;
import net.goldentooth.monitor.rules.RuleSet;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: NodeDown fires within the liveness window after an agent stops and is
 * on {@code alert.state}; a second monitor restored from {@code alert.state} continues a pending
 * alert's {@code for} timer instead of restarting it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class MonitorAlertStateIT {

    private static JsonPath alerts() {
        return given().when().get("/alerts").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> alertsFor(String alertName, String node) {
        List<Map<String, Object>> all = alerts().getList("$");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> a : all) {
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) a.get("labels");
            if (alertName.equals(a.get("alertName")) && node.equals(labels.get("node"))) {
                out.add(a);
            }
        }
        return out;
    }

    private static Map<String, Object> await(String alertName, String node, String phase, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<String, Object> a : alertsFor(alertName, node)) {
                if (phase.equals(a.get("phase"))) {
                    return a;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(alertName + " on " + node + " never became " + phase + "; alerts: " + alerts().prettify());
    }

    static void awaitLiveness(String node, String liveness) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Object> match = given().get("/nodes").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.node == '" + node + "' && it.liveness == '" + liveness + "' }");
            if (!match.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node + " never became " + liveness);
    }

    @Test
    void nodeDownFiresWithinTheLivenessWindowAndIsOnTheTopic() throws Exception {
        String node = "it-down-" + UUID.randomUUID().toString().substring(0, 8);
        try (FactsFeeder agent = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.healthy(node, at))) {
            awaitLiveness(node, "up");
            assertTrue(alertsFor("NodeDown", node).isEmpty(), "no NodeDown while facts flow");
            agent.stop();
            Instant stopped = Instant.now();
            Map<String, Object> firing = await("NodeDown", node, "firing", Duration.ofSeconds(30));
            Duration detection = Duration.between(stopped, Instant.parse((String) firing.get("firedAt")));
            // Three 1 s intervals from the last facts, plus one evaluation tick; generous for a loaded machine.
            assertTrue(detection.compareTo(Duration.ofSeconds(10)) < 0, "detected after " + detection);
            String fingerprint = (String) firing.get("fingerprint");
            agent.probe().awaitRecord(Topics.ALERT_STATE, r -> fingerprint.equals(r.key())
                    && EventCodec.decode(r.value(), AlertState.class).phase() == AlertPhase.FIRING, Duration.ofSeconds(30));
        }
    }

    @Test
    void restoredMonitorContinuesThePendingTimer() throws Exception {
        String node = "it-hot-" + UUID.randomUUID().toString().substring(0, 8);
        try (FactsFeeder agent = new FactsFeeder(node, Duration.ofSeconds(1), at -> TestFacts.withTemperature(node, at, 95.0))) {
            Map<String, Object> pending = await("ItCpuHot", node, "pending", Duration.ofSeconds(30));
            String fingerprint = (String) pending.get("fingerprint");
            Instant activeSince = Instant.parse((String) pending.get("activeSince"));
            agent.probe().awaitRecord(Topics.ALERT_STATE, r -> fingerprint.equals(r.key()), Duration.ofSeconds(30));

            // A second monitor, started from the topic: the same rules, state replayed before evaluating.
            String bootstrap = KafkaBroker.shared().bootstrapServers();
            RuleSet rules = new RuleSet(RuleFileParser.parse(RuleSet.SHIPPED, new String(getClass().getClassLoader()
                    .getResourceAsStream(RuleSet.SHIPPED).readAllBytes())));
            rules.loadExtra("it-extra-rules.yaml", java.nio.file.Files.readString(
                    java.nio.file.Path.of("src/test/resources/it-extra-rules.yaml")));
            MonitorCore second = new MonitorCore(new LivenessPolicy(Duration.ofSeconds(1), 3, Duration.ofSeconds(2),
                    Duration.ofSeconds(30), Duration.ofMinutes(5)), rules, Map.of(), Duration.ofMinutes(15), Duration.ofHours(1), 20);
            try (EventPublisher dlq = new EventPublisher(bootstrap, "//monitor-it", java.time.Clock.systemUTC())) {
                new MonitorConsumers(bootstrap, dlq, (t, r) -> { }).replayAlerts(second::restore);
            }
            AlertState restored = second.alerts().stream().filter(a -> a.fingerprint().equals(fingerprint)).findFirst()
                    .orElseThrow(() -> new AssertionError("pending alert not restored from alert.state"));
            assertEquals(activeSince, restored.activeSince());

            Instant justBeforeDue = activeSince.plusSeconds(7);
            second.facts(TestFacts.withTemperature(node, justBeforeDue, 95.0));
            second.evaluate(justBeforeDue);
            assertEquals(AlertPhase.PENDING, phaseOf(second, fingerprint));
            Instant due = activeSince.plusSeconds(8);
            second.evaluate(due);
            assertEquals(AlertPhase.FIRING, phaseOf(second, fingerprint), "the for timer continued from activeSince");
        }
    }

    private static AlertPhase phaseOf(MonitorCore core, String fingerprint) {
        return core.alerts().stream().filter(a -> a.fingerprint().equals(fingerprint)).findFirst().orElseThrow().phase();
    }
}
