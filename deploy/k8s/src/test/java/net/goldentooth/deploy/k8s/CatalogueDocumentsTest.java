package net.goldentooth.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import net.goldentooth.deploy.catalogue.AsyncApiDocument;
import net.goldentooth.deploy.catalogue.KafkaTopicManifests;
import net.goldentooth.deploy.catalogue.Regenerate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.Topics.TopicSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two documents derived from events' catalogue, topics.yaml and docs/asyncapi.yaml, are what the
 * generators make of the current code, and say what the code says (checked on the parsed files, not
 * only on the text). Run with -Dgoldentooth.regenerate=true to rewrite them after a catalogue change.
 */
class CatalogueDocumentsTest {

    private static final String HOW = " is out of date with events: ./mvnw -o -B test -pl deploy/k8s -Dgoldentooth.regenerate=true";

    @BeforeAll
    static void regenerateWhenAsked() throws Exception {
        if (Boolean.getBoolean("goldentooth.regenerate")) {
            Regenerate.write(Manifests.ROOT);
        }
    }

    @Test
    void committedDocumentsAreWhatTheCatalogueGenerates() throws Exception {
        assertEquals(KafkaTopicManifests.render(Topics.CATALOGUE),
                Files.readString(Manifests.ROOT.resolve(Regenerate.TOPICS_YAML)), Regenerate.TOPICS_YAML + HOW);
        assertEquals(AsyncApiDocument.render(Topics.CATALOGUE, EventCodec.TOPIC_TYPES),
                Files.readString(Manifests.ROOT.resolve(Regenerate.ASYNCAPI_YAML)), Regenerate.ASYNCAPI_YAML + HOW);
    }

    @Test
    void everyTopicAndItsDeadLetterTwinHasAMatchingKafkaTopic() {
        List<GenericKubernetesResource> topics = Manifests.parse(Manifests.ROOT.resolve(Regenerate.TOPICS_YAML)).stream()
                .map(d -> (GenericKubernetesResource) d.resource()).toList();
        Map<String, GenericKubernetesResource> byName = topics.stream()
                .collect(Collectors.toMap(t -> (String) t.get("spec", "topicName"), t -> t));
        assertEquals(Topics.allWithDeadLetters().size(), topics.size());
        for (TopicSpec spec : Topics.allWithDeadLetters()) {
            GenericKubernetesResource topic = byName.get(spec.name());
            assertTrue(topic != null, "no KafkaTopic for " + spec.name());
            assertEquals("KafkaTopic", topic.getKind());
            assertEquals("goldentooth", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            assertEquals(spec.partitions(), (Integer) topic.get("spec", "partitions"), spec.name());
            assertEquals(3, (Integer) topic.get("spec", "replicas"), spec.name());
            Map<String, Object> config = topic.get("spec", "config");
            assertEquals(spec.compacted() ? "compact" : "delete", config.get("cleanup.policy"), spec.name());
            assertEquals(spec.retentionMs(), ((Number) config.get("retention.ms")).longValue(), spec.name());
            assertEquals(spec.maxMessageBytes(), ((Number) config.get("max.message.bytes")).intValue(), spec.name());
            spec.extraConfigs().forEach((key, value) -> assertEquals(value, String.valueOf(config.get(key)), spec.name() + " " + key));
        }
        Map<String, Object> logsConfig = byName.get(Topics.NODE_LOGS).get("spec", "config");
        assertEquals("1073741824", String.valueOf(logsConfig.get("retention.bytes")), "node.logs is bounded by size too");
    }

    @Test
    void theAsyncApiDocumentHasEveryTopicKeyAndPayloadOfTheCode() throws Exception {
        JsonNode doc = Manifests.YAML.readTree(Manifests.ROOT.resolve(Regenerate.ASYNCAPI_YAML).toFile());
        assertEquals("3.0.0", doc.get("asyncapi").asText());
        Set<String> channels = new TreeSet<>();
        doc.get("channels").fieldNames().forEachRemaining(channels::add);
        assertEquals(Topics.allWithDeadLetters().stream().map(TopicSpec::name).collect(Collectors.toCollection(TreeSet::new)), channels);
        for (TopicSpec spec : Topics.CATALOGUE) {
            JsonNode binding = doc.at("/channels/" + escape(spec.name()) + "/bindings/kafka");
            assertEquals(spec.partitions(), binding.get("partitions").asInt(), spec.name());
            assertEquals(spec.compacted() ? "compact" : "delete", binding.at("/topicConfiguration/cleanup.policy/0").asText());
            JsonNode message = doc.at("/components/messages/" + escape(spec.name()));
            Class<?> type = EventCodec.TOPIC_TYPES.get(spec.name());
            assertEquals(type.getSimpleName(), message.get("name").asText(), spec.name());
            assertTrue(message.at("/bindings/kafka/key/description").asText().length() > 0, spec.name() + " key");
            assertEquals("net.goldentooth." + spec.name() + ".v1", message.at("/headers/properties/ce_type/const").asText());
            JsonNode schema = doc.at("/components/schemas/" + type.getSimpleName());
            assertEquals(type.getName(), schema.get("x-java-type").asText());
            // Read from the record itself, not through the generator's introspection.
            Set<String> fields = Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(documented::add);
            assertEquals(fields, documented, type.getSimpleName() + " fields");
        }
    }

    private static String escape(String pointerSegment) {
        return pointerSegment.replace("~", "~0").replace("/", "~1");
    }

    @Test
    void aTopicTheGeneratorsDoNotKnowIsAnErrorNamingIt() {
        List<TopicSpec> withNew = new ArrayList<>(Topics.CATALOGUE);
        withNew.add(new TopicSpec("made.up", 3, false, 1000, 1 << 20));
        Map<String, Class<?>> types = new HashMap<>(EventCodec.TOPIC_TYPES);
        IllegalStateException noType = assertThrows(IllegalStateException.class, () -> AsyncApiDocument.render(withNew, types));
        assertTrue(noType.getMessage().contains("made.up"), noType.getMessage());
        types.put("made.up", Topics.TopicSpec.class);
        IllegalStateException noKey = assertThrows(IllegalStateException.class, () -> AsyncApiDocument.render(withNew, types));
        assertTrue(noKey.getMessage().contains("made.up") && noKey.getMessage().contains("key"), noKey.getMessage());
        assertTrue(KafkaTopicManifests.render(withNew).contains("topicName: made.up.dlq"));
    }
}
