package net.goldentooth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;

/**
 * A replicated Kafka cluster for tests: {@code size} real KRaft brokers from deploy/broker, each
 * its own JVM with its own ports and log directory. Every member is both a broker and a voter of
 * the controller quorum (combined mode), so three members tolerate one loss; topics get three
 * replicas and {@code min.insync.replicas} 2 (see BrokerMain). Members can be killed with SIGKILL
 * and restarted on the same ports and log directory. The single {@link KafkaBroker} stays the
 * default for tests that do not need replication.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

    private final String clusterId = Uuid.randomUuid().toString();
    private final List<Member> members = new ArrayList<>();
    private final String quorum;

    private static final class Member {
        final int nodeId;
        final int port;
        final int controllerPort;
        final Path data;
        Process process;

        Member(int nodeId, int port, int controllerPort, Path data) {
            this.nodeId = nodeId;
            this.port = port;
            this.controllerPort = controllerPort;
            this.data = data;
        }
    }

    private KafkaCluster(int size, IntSupplier freePort) throws IOException {
        for (int id = 1; id <= size; id++) {
            members.add(new Member(id, freePort.getAsInt(), freePort.getAsInt(),
                    Files.createTempDirectory("goldentooth-kafka-" + id + "-")));
        }
        quorum = members.stream().map(m -> m.nodeId + "@127.0.0.1:" + m.controllerPort)
                .collect(Collectors.joining(","));
    }

    /** Starts {@code size} members on free loopback ports; close it when done. */
    public static KafkaCluster start(int size) {
        return start(size, KafkaBroker::freePort);
    }

    /** Starts {@code size} members on ports from {@code freePort} (for tests that keep to a range). */
    public static KafkaCluster start(int size, IntSupplier freePort) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, was " + size);
        }
        KafkaCluster cluster;
        try {
            cluster = new KafkaCluster(size, freePort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the brokers' log directories", e);
        }
        try {
            // Side by side: each waits for the others to register before it creates the topics.
            for (Member m : cluster.members) {
                m.process = cluster.launch(m);
            }
            for (Member m : cluster.members) {
                KafkaBroker.awaitReady(m.process, READY_TIMEOUT);
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private Process launch(Member m) {
        try {
            return KafkaBroker.launch(m.data, m.port, m.controllerPort, "-Xmx384m", List.of(
                    "--node-id", Integer.toString(m.nodeId), "--quorum", quorum, "--cluster-id", clusterId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start broker " + m.nodeId, e);
        }
    }

    /** Every member's listener: clients find the live ones among them. */
    public String bootstrapServers() {
        return members.stream().map(m -> "127.0.0.1:" + m.port).collect(Collectors.joining(","));
    }

    public List<Integer> nodeIds() {
        return members.stream().map(m -> m.nodeId).toList();
    }

    /** {@code kill -9} of one member; it stays down until {@link #restart}. */
    public synchronized void kill(int nodeId) {
        Member m = member(nodeId);
        if (m.process == null || !m.process.isAlive()) {
            throw new IllegalStateException("broker " + nodeId + " is not running");
        }
        try {
            m.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new process for a killed member, on its ports and log directory; returns once it is
     * ready (it needs a majority of the quorum, itself included, to come up).
     */
    public synchronized void restart(int nodeId) {
        Member m = member(nodeId);
        if (m.process != null && m.process.isAlive()) {
            throw new IllegalStateException("broker " + nodeId + " is running; kill it first");
        }
        m.process = launch(m);
        KafkaBroker.awaitReady(m.process, READY_TIMEOUT);
    }

    public synchronized boolean running(int nodeId) {
        Process p = member(nodeId).process;
        return p != null && p.isAlive();
    }

    /** The member's process id (for its CPU time), or -1 when it is not running. */
    public synchronized long pid(int nodeId) {
        Process p = member(nodeId).process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** The node id of the partition's leader as the cluster's metadata has it, or -1 for none. */
    public int leaderOf(String topic, int partition) {
        TopicPartitionInfo info = describe(topic, partition);
        Node leader = info.leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    /** The node ids of the partition's in-sync replicas. */
    public Set<Integer> inSyncReplicas(String topic, int partition) {
        return describe(topic, partition).isr().stream().map(Node::id).collect(Collectors.toSet());
    }

    private TopicPartitionInfo describe(String topic, int partition) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(20, TimeUnit.SECONDS);
            return topics.get(topic).partitions().get(partition);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic + "-" + partition, e);
        }
    }

    /**
     * The partition a keyed record goes to with Kafka's default partitioner (murmur2 of the key's
     * UTF-8 bytes), as the services' producers choose it.
     */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private Member member(int nodeId) {
        return members.stream().filter(m -> m.nodeId == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broker " + nodeId + " in " + nodeIds()));
    }

    @Override
    public synchronized void close() {
        for (Member m : members) {
            if (m.process != null && m.process.isAlive()) {
                m.process.destroy();
            }
        }
        for (Member m : members) {
            try {
                if (m.process != null && !m.process.waitFor(20, TimeUnit.SECONDS)) {
                    m.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            KafkaBroker.deleteQuietly(m.data);
        }
    }
}
