package net.goldentooth.monitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.probe.ProbeResult;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import net.goldentooth.testkit.RestErrorShape;

/**
 * Against the real broker: readiness includes the Kafka connection, metrics are Prometheus text,
 * bad query input is a 400 ApiError, poison on node.facts is dead-lettered and counted, and
 * probe outcomes are published on probe.results.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class MonitorServiceHealthIT {

    @Test
    void readyWithKafkaAndExposesPrometheusMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Kafka")));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownAlertStateIsABadRequest() {
        given().when().get("/alerts?state=exploded").then().statusCode(400)
                .body("status", equalTo(400))
                .body("error", containsString("pending, firing"));
        given().when().get("/alerts?state=firing").then().statusCode(200);
    }

    @Test
    void aFailingProbeIsPublishedOnProbeResults() {
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            var records = probe.awaitRecord(Topics.PROBE_RESULTS, r -> "it-closed".equals(r.key()), Duration.ofSeconds(30));
            ProbeResult result = EventCodec.decode(records.get(records.size() - 1).value(), ProbeResult.class);
            org.junit.jupiter.api.Assertions.assertEquals("tcp", result.kind());
            org.junit.jupiter.api.Assertions.assertEquals("127.0.0.1:1", result.address());
            org.junit.jupiter.api.Assertions.assertFalse(result.success());
            org.junit.jupiter.api.Assertions.assertNotNull(result.error());
        }
    }

    @Test
    void poisonFactsAreDeadLetteredAndCounted() throws Exception {
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            String key = "poison-" + java.util.UUID.randomUUID();
            probe.sendRaw(Topics.NODE_FACTS, key, "{not json");
            probe.awaitRecord(Topics.deadLetterOf(Topics.NODE_FACTS), r -> key.equals(r.key()), Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline && !metrics.contains("goldentooth_monitor_dead_letters_total{topic=\"node.facts\"")) {
            metrics = given().get("/q/metrics").then().extract().asString();
            Thread.sleep(100);
        }
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("goldentooth_monitor_dead_letters_total{topic=\"node.facts\""));
    }

    /** The same malformed body and unknown path as every REST service (rest-edge's shared mappers). */
    @Test
    void answersMalformedJsonAndUnknownPathsLikeEveryService() {
        RestErrorShape.assertMalformedJsonRefused(base(), "/silences", "SilenceRequests.Body");
        RestErrorShape.assertUnknownPathRefused(base());
    }

    private static java.net.URI base() {
        return java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/");
    }
}
