package net.goldentooth.monitor;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: storage-service's states on {@code storage.replication} and
 * {@code storage.capacity}, put on the topics as storage-service publishes them, raise the shipped
 * storage alerts, on {@code alert.state} too; a repaired pair resolves its alert.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class StorageAlertsIT {

    private static Map<String, Object> await(String alertName, Map<String, String> subject, String phase)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> all = given().when().get("/alerts").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            for (Map<String, Object> a : all) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) a.get("labels");
                if (alertName.equals(a.get("alertName")) && phase.equals(a.get("phase"))
                        && labels.entrySet().containsAll(subject.entrySet())) {
                    return a;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(alertName + " " + subject + " never became " + phase);
    }

    private static ReplicationStatus pair(String dataset, String target, ReplicationState state, long lagSeconds,
                                          Instant at) {
        return new ReplicationStatus(dataset, "allyrion", target, state, "autosnap_2026-11-25_10:00:00_hourly",
                "autosnap_2026-11-25_12:00:00_hourly", state == ReplicationState.IN_SYNC ? 0 : 2, lagSeconds, 0,
                state == ReplicationState.DIVERGED ? "target's newest snapshot is not on the source" : null, at, null);
    }

    @Test
    void aDivergedTargetFiresReplicationDivergedAndARepairResolvesIt() throws Exception {
        String dataset = "rpool/it-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.STORAGE_REPLICATION, ReplicationStatus.key(dataset, "gardener"),
                    pair(dataset, "gardener", ReplicationState.DIVERGED, 7200, Instant.now()));
            Map<String, Object> firing = await("ReplicationDiverged", Map.of("dataset", dataset, "target", "gardener"),
                    "firing");
            assertEquals("critical", firing.get("severity"));
            String fingerprint = (String) firing.get("fingerprint");
            probe.awaitRecord(Topics.ALERT_STATE, r -> fingerprint.equals(r.key())
                    && EventCodec.decode(r.value(), AlertState.class).phase() == AlertPhase.FIRING, Duration.ofSeconds(30));
            // A diverged pair is not also "lagging": one alert says what is wrong.
            assertTrue(given().get("/alerts").then().extract().jsonPath()
                    .getList("findAll { it.alertName == 'ReplicationLagging' && it.labels.dataset == '" + dataset + "' }")
                    .isEmpty());

            probe.send(Topics.STORAGE_REPLICATION, ReplicationStatus.key(dataset, "gardener"),
                    pair(dataset, "gardener", ReplicationState.IN_SYNC, 0, Instant.now()));
            await("ReplicationDiverged", Map.of("dataset", dataset, "target", "gardener"), "resolved");
        }
    }

    @Test
    void aLaggingPairAndAFullPoolGoPendingForTheirForDurations() throws Exception {
        String dataset = "rpool/it-" + UUID.randomUUID().toString().substring(0, 8);
        String node = "it-pool-" + UUID.randomUUID().toString().substring(0, 8);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.STORAGE_REPLICATION, ReplicationStatus.key(dataset, "velaryon"),
                    pair(dataset, "velaryon", ReplicationState.FAILED, 3 * 3600, Instant.now()));
            probe.send(Topics.STORAGE_CAPACITY, CapacityStatus.key(node, "/rpool"),
                    new CapacityStatus(node, "/rpool", "rpool", "zfs", 100L << 30, 93L << 30, 93.0,
                            CapacityLevel.CRITICAL, Instant.now()));
            probe.send(Topics.STORAGE_CAPACITY, CapacityStatus.key(node, "/"),
                    new CapacityStatus(node, "/", "/dev/mmcblk0p2", "ext4", 100L << 30, 85L << 30, 85.0,
                            CapacityLevel.WARNING, Instant.now()));
            // Their `for` (15 m, 1 m, 5 m) keeps them pending here; AlertTableTest steps the time to firing.
            Map<String, Object> lagging = await("ReplicationLagging", Map.of("dataset", dataset, "target", "velaryon"),
                    "pending");
            assertEquals(3 * 3600.0, ((Number) lagging.get("value")).doubleValue());
            await("PoolCapacityCritical", Map.of("node", node, "mountpoint", "/rpool"), "pending");
            await("PoolCapacityHigh", Map.of("node", node, "mountpoint", "/"), "pending");
        }
    }
}
