package net.goldentooth.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import net.goldentooth.testkit.RestErrorShape;

/**
 * The service against the real broker and real zfs-fuse pools (commands run on this machine):
 * REST snapshot, plan and replicate, with the outcomes on storage.snapshots and storage.replication.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(ZfsPoolResource.class)
class StorageServiceIT {

    @Test
    void snapshotThenReplicateFillsTheStatusAndTheTopics() {
        String dataset = ZfsPoolResource.pools.sourceDataset;
        given().when().get("/storage/plan/" + dataset).then().statusCode(200)
                .body("take", hasSize(3)).body("take", hasItem(containsString("_hourly")))
                .body("destroy", hasSize(0));

        given().when().post("/storage/snapshot/" + dataset).then().statusCode(200)
                .body("outcome", equalTo("succeeded")).body("counts.hourly", equalTo(1));
        assertEquals(3, ZfsPoolResource.pools.snapshots(dataset).size());

        given().when().post("/storage/replicate/" + dataset + "?to=gardener").then().statusCode(200)
                .body("[0].state", equalTo("in-sync")).body("[0].snapshotsBehind", equalTo(0));
        assertEquals(ZfsPoolResource.pools.snapshots(dataset),
                ZfsPoolResource.pools.snapshots(ZfsPoolResource.pools.targetDataset));

        given().when().get("/storage/status").then().statusCode(200)
                .body("source", equalTo("allyrion"))
                .body("datasets[0].dataset", equalTo(dataset))
                .body("datasets[0].lastRun.counts.daily", equalTo(1))
                .body("datasets[0].replication[0].target", equalTo("gardener"))
                .body("datasets[0].replication[0].state", equalTo("in-sync"));

        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            var last = probe.awaitRecord(Topics.STORAGE_REPLICATION,
                    r -> r.key().equals(ReplicationStatus.key(dataset, "gardener")), Duration.ofSeconds(30));
            ReplicationStatus status = EventCodec.decode(last.get(last.size() - 1).value(), ReplicationStatus.class);
            assertEquals(ReplicationState.IN_SYNC, status.state());
            assertTrue(status.bytesSent() > 0);
            var runs = probe.awaitRecord(Topics.STORAGE_SNAPSHOTS,
                    r -> r.key().equals(SnapshotRun.key("allyrion", dataset)), Duration.ofSeconds(30));
            SnapshotRun run = EventCodec.decode(runs.get(runs.size() - 1).value(), SnapshotRun.class);
            assertEquals(3, run.taken().size());
        }
    }

    @Test
    void aFilesystemOverEightyPercentIsACapacityWarning() {
        Instant now = Instant.now();
        NodeFacts facts = new NodeFacts("fenn", now, 1, "test", null, null, null, null, null,
                new NodeFacts.Section<>(List.of(new NodeFacts.Filesystem("/mnt/seaweedfs-ssd", "/dev/sda1", "ext4",
                        1_000_000, 150_000)), false, null, now), null, null, null, null);
        try (TopicProbe probe = new TopicProbe(KafkaBroker.shared().bootstrapServers())) {
            probe.send(Topics.NODE_FACTS, "fenn", facts);
            var records = probe.awaitRecord(Topics.STORAGE_CAPACITY,
                    r -> r.key().equals(CapacityStatus.key("fenn", "/mnt/seaweedfs-ssd")), Duration.ofSeconds(60));
            CapacityStatus status = EventCodec.decode(records.get(records.size() - 1).value(), CapacityStatus.class);
            assertEquals(CapacityLevel.WARNING, status.level());
            assertEquals(85.0, status.usedPercent());
        }
    }

    @Test
    void theSeedsNfsExportsAreRendered() {
        given().when().get("/storage/nfs").then().statusCode(200)
                .body("exportsFiles.allyrion", containsString("\n/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check)\n"))
                .body("exportsFiles.velaryon", containsString("/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)"));
    }

    @Test
    void badInputIsAnApiErrorNamingTheProblem() {
        given().when().get("/storage/plan/tank/nope").then().statusCode(404)
                .body("error", equalTo("unknown dataset 'tank/nope'"))
                .body("hints", hasItem(ZfsPoolResource.pools.sourceDataset));
        given().when().post("/storage/replicate/" + ZfsPoolResource.pools.sourceDataset + "?to=bettley").then()
                .statusCode(400).body("error", equalTo("'bettley' is not a replication target"))
                .body("hints", hasItem("gardener"));
    }

    /** The same unknown-path answer as every REST service (storage has no endpoint that reads a body). */
    @Test
    void answersUnknownPathsLikeEveryService() {
        RestErrorShape.assertUnknownPathRefused(base());
    }

    private static java.net.URI base() {
        return java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/");
    }
}
