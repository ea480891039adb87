package net.goldentooth.pki.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.Topics;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link PkiServiceIT}, assertions unchanged, with {@code cert.requested} read and
 * {@code cert.issued} sent through the SmallRye channels ({@code goldentooth.pki.smallrye=true}):
 * node-routed answers, refusals, poison on {@code cert.requested.dlq} while the service goes on,
 * clock skew, revocation, expiry. The evidence that the spike keeps the edge's behaviour
 * (docs/architecture.md, "Messaging layer").
 */
@QuarkusTest
@TestProfile(PkiServiceSmallRyeIT.SmallRye.class)
class PkiServiceSmallRyeIT extends PkiServiceIT {

    public static class SmallRye implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("goldentooth.pki.smallrye", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(PkiTestResource.class));
        }
    }

    /**
     * A dead letter written by SmallRye's dead-letter-queue strategy carries kafka-edge's reason
     * headers (what the dashboards and PoisonIT read) beside SmallRye's own, with the same reason.
     */
    @Test
    @Order(4)
    void deadLettersCarryKafkaEdgesReasonHeadersBesideSmallRyes() {
        String key = "poison-headers-" + UUID.randomUUID();
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.sendRaw(Topics.CERT_REQUESTED, key, "[1, 2");
            List<ConsumerRecord<String, byte[]>> records = probe.awaitRecord(Topics.deadLetterOf(Topics.CERT_REQUESTED),
                    r -> key.equals(r.key()), Duration.ofSeconds(60));
            ConsumerRecord<String, byte[]> dead = records.stream().filter(r -> key.equals(r.key())).findFirst()
                    .orElseThrow();
            String reason = TopicProbe.header(dead, CloudEventHeaders.DLQ_ERROR);
            assertNotNull(reason);
            assertTrue(reason.contains("CertRequest"), reason);
            assertEquals(reason, TopicProbe.header(dead, "dead-letter-reason"));
            assertEquals(Topics.CERT_REQUESTED, TopicProbe.header(dead, CloudEventHeaders.DLQ_TOPIC));
            assertEquals("[1, 2", new String(dead.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
