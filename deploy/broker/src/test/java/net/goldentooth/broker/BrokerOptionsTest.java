package net.goldentooth.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import net.goldentooth.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerOptionsTest {

    private static final String CLUSTER_ID = "q1Sh-9_ISia_zwGINzRvyQ";
    private static final String QUORUM = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";

    @Test
    void aSingleBrokerIsItsOwnQuorumWithOneReplicaPerTopic() {
        BrokerMain.Options o = BrokerMain.Options.parse(new String[] {"--port", "9092"});
        assertEquals("1@127.0.0.1:9093", o.voters());
        assertEquals(1, o.replicationFactor());
        assertEquals(1, o.minInsyncReplicas());
    }

    @Test
    void aMemberOfThreeReplicatesEveryTopicThreeTimesAndNeedsTwoInSync(@TempDir Path dir) throws Exception {
        BrokerMain.Options o = BrokerMain.Options.parse(new String[] {"--data", dir.toString(), "--port", "9094",
                "--controller-port", "9095", "--node-id", "2", "--quorum", QUORUM, "--cluster-id", CLUSTER_ID});
        assertEquals(3, o.clusterSize());
        assertEquals(3, o.replicationFactor());
        assertEquals(2, o.minInsyncReplicas());

        Properties p = new Properties();
        try (var in = Files.newBufferedReader(BrokerLayout.writeServerProperties(o))) {
            p.load(in);
        }
        assertEquals("2", p.getProperty("node.id"));
        assertEquals(QUORUM, p.getProperty("controller.quorum.voters"));
        assertEquals("3", p.getProperty("offsets.topic.replication.factor"));
        assertEquals("2", p.getProperty("transaction.state.log.min.isr"));
        assertEquals("2", p.getProperty("min.insync.replicas"));
        assertEquals("false", p.getProperty("unclean.leader.election.enable"));

        NewTopic progress = BrokerLayout.newTopic(Topics.CATALOGUE.stream()
                .filter(t -> t.name().equals(Topics.JOB_PROGRESS)).findFirst().orElseThrow(), 3, 2);
        assertEquals(3, progress.replicationFactor());
        assertEquals("2", progress.configs().get("min.insync.replicas"));
    }

    @Test
    void spacesAroundTheQuorumsEntriesAreDropped() {
        BrokerMain.Options o = BrokerMain.Options.parse(new String[] {"--quorum", QUORUM.replace(",", ", "),
                "--cluster-id", CLUSTER_ID});
        assertEquals(QUORUM, o.voters());
    }

    @Test
    void aQuorumThatIsMalformedOrLeavesThisNodeOutIsRefusedWithTheReason() {
        assertTrue(refused("--node-id", "4", "--quorum", QUORUM, "--cluster-id", CLUSTER_ID)
                .contains("does not list this node"));
        assertTrue(refused("--port", "9094", "--node-id", "1", "--quorum", QUORUM, "--cluster-id", CLUSTER_ID)
                .contains("listens on 127.0.0.1:9095"));
        assertTrue(refused("--quorum", "1@127.0.0.1:9093,x@y", "--cluster-id", CLUSTER_ID)
                .contains("'x@y' is not ID@HOST:PORT"));
        assertTrue(refused("--quorum", "1@127.0.0.1:9093,1@127.0.0.1:9095", "--cluster-id", CLUSTER_ID)
                .contains("twice"));
        assertTrue(refused("--quorum", QUORUM).contains("needs --cluster-id"));
        assertTrue(refused("--cluster-id", "not-an-id").contains("not a Kafka cluster id"));
        assertTrue(refused("--node-id", "-1").contains("not a node id"));
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> BrokerMain.Options.parse(args)).getMessage();
    }
}
