package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.goldentooth.events.Topics;
import net.goldentooth.events.Topics.TopicSpec;
import net.goldentooth.testkit.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The broker runner creates every topic of the catalogue, and its dead-letter topic, as DESIGN.md says. */
class TopicCatalogueIT {

    @Test
    void everyTopicExistsWithItsPartitionsCleanUpPolicyAndRetention() throws Exception {
        List<TopicSpec> specs = Topics.allWithDeadLetters();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.shared().bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(specs.stream().map(TopicSpec::name).toList())
                    .allTopicNames().get();
            Map<ConfigResource, Config> configs = admin.describeConfigs(specs.stream()
                    .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList()).all().get();
            for (TopicSpec spec : specs) {
                assertEquals(spec.partitions(), topics.get(spec.name()).partitions().size(), spec.name());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                assertEquals(spec.compacted() ? "compact" : "delete",
                        config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value(), spec.name());
                assertEquals(Long.toString(spec.retentionMs()), config.get(TopicConfig.RETENTION_MS_CONFIG).value(),
                        spec.name());
                for (Map.Entry<String, String> extra : spec.extraConfigs().entrySet()) {
                    assertEquals(extra.getValue(), config.get(extra.getKey()).value(), spec.name() + " " + extra.getKey());
                }
            }
            assertEquals("1073741824", configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.NODE_LOGS))
                    .get(TopicConfig.RETENTION_BYTES_CONFIG).value(), "node.logs is bounded by size too");
            assertTrue(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.NODE_HEARTBEAT))
                    .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value().equals(Topics.LOG_APPEND_TIME),
                    "heartbeats are timed by the broker");
            assertTrue(topics.containsKey("job.progress.dlq"));
        }
    }
}
