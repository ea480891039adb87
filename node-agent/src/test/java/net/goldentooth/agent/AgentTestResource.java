package net.goldentooth.agent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;

/**
 * The agent under test: the shared real broker, a fresh task-signing key pair (the provisioner's,
 * written beside each other as {@code ./goldentooth up} does), a fresh state directory and a node
 * name of its own, so that its consumer group starts empty.
 */
public class AgentTestResource implements QuarkusTestResourceLifecycleManager {

    static final String PRIVATE_KEY = "task-signing.key";
    static final String PUBLIC_KEY = "task-signing.pub";

    private Map<String, String> extra = Map.of();

    /** Extra configuration from {@code @ResourceArg}s, e.g. simulated nodes. */
    @Override
    public void init(Map<String, String> initArgs) {
        extra = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("node-agent-it");
            SigningKeys.loadOrCreate(dir.resolve(PRIVATE_KEY), dir.resolve(PUBLIC_KEY));
            Map<String, String> config = new java.util.HashMap<>(Map.of(
                    "kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers(),
                    "goldentooth.agent.node-name", "it-agent-" + UUID.randomUUID().toString().substring(0, 8),
                    "goldentooth.agent.trusted-key-files", dir.resolve(PUBLIC_KEY).toString(),
                    "goldentooth.agent.state-dir", dir.resolve("state").toString(),
                    "goldentooth.agent.facts-check-interval", "1s"));
            config.putAll(extra);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the broker is shared by the test JVM and stops with it
    }
}
