package net.goldentooth.broker;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import net.goldentooth.events.Topics.TopicSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What a member writes and creates, as plain code apart from {@link BrokerMain} (which starts the
 * broker): its {@code server.properties} and each catalogue topic's layout (partitions, replicas,
 * {@code min.insync.replicas}, retention). Unit tests read these without starting anything.
 */
final class BrokerLayout {

    static Path writeServerProperties(BrokerMain.Options options) throws IOException {
        Path data = options.data().toAbsolutePath();
        Files.createDirectories(data.resolve("logs"));
        String listener = options.host() + ":" + options.port();
        String controller = options.host() + ":" + options.controllerPort();
        // With TLS every listener, the controller's too, is mutual TLS: no principal is anonymous.
        String name = options.tls() == null ? "PLAINTEXT" : "SSL";
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(options.nodeId()));
        p.setProperty("controller.quorum.voters", options.voters());
        p.setProperty("listeners", name + "://" + listener + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", name + "://" + listener);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", name);
        p.setProperty("listener.security.protocol.map", "CONTROLLER:" + name + "," + name + ":" + name);
        p.setProperty("log.dirs", data.resolve("logs").toString());
        p.setProperty("auto.create.topics.enable", "false");
        // Internal topics are replicated as the catalogue's are (one broker: one copy).
        String replicas = Integer.toString(options.replicationFactor());
        String minIsr = Integer.toString(options.minInsyncReplicas());
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minIsr);
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minIsr);
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
        Path file = data.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "written by goldentooth-broker; rewritten at every start");
        }
        return file;
    }

    static NewTopic newTopic(TopicSpec spec) {
        return newTopic(spec, 1, 1);
    }

    static NewTopic newTopic(TopicSpec spec, int replicas, int minInsync) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()));
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(spec.maxMessageBytes()));
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsync));
        configs.putAll(spec.extraConfigs());
        return new NewTopic(spec.name(), spec.partitions(), (short) replicas).configs(configs);
    }

    private BrokerLayout() {
    }
}
