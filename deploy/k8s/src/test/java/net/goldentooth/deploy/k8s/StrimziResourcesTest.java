package net.goldentooth.deploy.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import net.goldentooth.deploy.catalogue.Regenerate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Strimzi resources parsed into Strimzi's own API model (io.strimzi:api): every field of the
 * manifests must be one Strimzi knows. The model keeps unknown fields aside instead of failing, so
 * the test walks the parsed objects and fails on any such field, naming where it is.
 */
class StrimziResourcesTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static <T> List<T> parse(Path file, Class<T> type, String kind) throws Exception {
        List<T> parsed = new ArrayList<>();
        for (Manifests.Doc doc : Manifests.parse(file)) {
            HasMetadata resource = doc.resource();
            if (resource.getKind().equals(kind)) {
                parsed.add(SERIALIZATION.unmarshal(SERIALIZATION.asJson(resource), type));
            }
        }
        return parsed;
    }

    @Test
    void theKafkaAndItsNodePoolUseOnlyFieldsStrimziKnows() throws Exception {
        Path kafkaYaml = Manifests.MANIFESTS.resolve("kafka/kafka.yaml");
        List<Kafka> kafkas = parse(kafkaYaml, Kafka.class, "Kafka");
        List<KafkaNodePool> pools = parse(kafkaYaml, KafkaNodePool.class, "KafkaNodePool");
        assertEquals(1, kafkas.size());
        assertEquals(1, pools.size());
        assertEquals(List.of(), UnknownFields.under(kafkas.get(0).getSpec(), "Kafka.spec"));
        assertEquals(List.of(), UnknownFields.under(pools.get(0).getSpec(), "KafkaNodePool.spec"));
        assertEquals(Set.of(ProcessRoles.CONTROLLER, ProcessRoles.BROKER), Set.copyOf(pools.get(0).getSpec().getRoles()));
        assertEquals(3, pools.get(0).getSpec().getReplicas());
        assertTrue(kafkas.get(0).getSpec().getKafka().getListeners().stream().anyMatch(l -> l.isTls()),
                "a TLS listener for the production clients");
    }

    @Test
    void everyKafkaTopicUsesOnlyFieldsStrimziKnows() throws Exception {
        List<KafkaTopic> topics = parse(Manifests.ROOT.resolve(Regenerate.TOPICS_YAML), KafkaTopic.class, "KafkaTopic");
        assertFalse(topics.isEmpty());
        for (KafkaTopic topic : topics) {
            assertEquals(List.of(), UnknownFields.under(topic.getSpec(), topic.getMetadata().getName()));
            assertEquals(topic.getMetadata().getName(), topic.getSpec().getTopicName());
        }
    }

    @Test
    void aMisspeltFieldIsFound() throws Exception {
        Kafka kafka = parse(Manifests.MANIFESTS.resolve("kafka/kafka.yaml"), Kafka.class, "Kafka").get(0);
        kafka.getSpec().getKafka().setAdditionalProperty("listner", "typo");
        assertEquals(List.of("Kafka.spec.kafka.listner"), UnknownFields.under(kafka.getSpec(), "Kafka.spec"));
    }
}
