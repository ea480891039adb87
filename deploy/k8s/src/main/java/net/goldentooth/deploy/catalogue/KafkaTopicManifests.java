package net.goldentooth.deploy.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import net.goldentooth.events.Topics;
import net.goldentooth.events.Topics.TopicSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strimzi {@code KafkaTopic} resources for every topic of {@link Topics#CATALOGUE} and its dead-letter
 * twin, with the partitions, clean-up policy, retention and record size the local broker creates them
 * with. Written to manifests/kafka/topics.yaml by {@link Regenerate}; a test fails when the file differs.
 */
public final class KafkaTopicManifests {

    /** The Strimzi {@code Kafka} resource the topics belong to (label {@code strimzi.io/cluster}). */
    public static final String CLUSTER = "goldentooth";
    public static final String NAMESPACE = "goldentooth";
    /** Three brokers: every partition on each, so one node down loses nothing. */
    public static final int REPLICAS = 3;
    /** With acks=all, writes go on with one of three replicas down, and stop rather than keep one copy. */
    public static final int MIN_INSYNC_REPLICAS = 2;

    public static String render(List<TopicSpec> catalogue) {
        StringBuilder out = new StringBuilder(Generated.header("KafkaTopicManifests", "the topic catalogue"));
        for (TopicSpec topic : catalogue) {
            for (TopicSpec spec : List.of(topic, topic.dlq())) {
                out.append("---\n").append(yaml(resource(spec)));
            }
        }
        return out.toString();
    }

    static Map<String, Object> resource(TopicSpec spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", spec.name());
        metadata.put("namespace", NAMESPACE);
        metadata.put("labels", Map.of("strimzi.io/cluster", CLUSTER));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cleanup.policy", spec.compacted() ? "compact" : "delete");
        config.put("retention.ms", spec.retentionMs());
        config.put("max.message.bytes", spec.maxMessageBytes());
        if (spec.retentionBytes() >= 0) {
            config.put("retention.bytes", spec.retentionBytes());
        }
        config.put("min.insync.replicas", MIN_INSYNC_REPLICAS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topicName", spec.name());
        body.put("partitions", spec.partitions());
        body.put("replicas", REPLICAS);
        body.put("config", config);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "kafka.strimzi.io/v1beta2");
        resource.put("kind", "KafkaTopic");
        resource.put("metadata", metadata);
        resource.put("spec", body);
        return resource;
    }

    private static String yaml(Object tree) {
        try {
            return Generated.YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a KafkaTopic as YAML", e);
        }
    }

    private KafkaTopicManifests() {
    }
}
