package net.goldentooth.deploy.catalogue;

import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the two documents derived from the catalogue: deploy/k8s/manifests/kafka/topics.yaml and
 * docs/asyncapi.yaml under the checkout's root. The module's drift test calls it when run with
 * {@code -Dgoldentooth.regenerate=true}.
 */
public final class Regenerate {

    public static final String TOPICS_YAML = "deploy/k8s/manifests/kafka/topics.yaml";
    public static final String ASYNCAPI_YAML = "docs/asyncapi.yaml";

    public static void write(Path root) throws IOException {
        Files.writeString(root.resolve(TOPICS_YAML), KafkaTopicManifests.render(Topics.CATALOGUE));
        Files.writeString(root.resolve(ASYNCAPI_YAML), AsyncApiDocument.render(Topics.CATALOGUE, EventCodec.TOPIC_TYPES));
        System.out.println("wrote " + TOPICS_YAML + " and " + ASYNCAPI_YAML + " under " + root.toAbsolutePath().normalize());
    }

    private Regenerate() {
    }
}
