package net.goldentooth.agent.certs.messaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;

/**
 * The real pki-service for one IT, run from its packaged fast-jar as {@code ./goldentooth up}
 * runs it, with an inventory holding one new node, and the agent's side of it: one enrolment token
 * minted the way the provisioner mints them (signed with a task-signing key whose public half pki
 * trusts). The agent is given no task key file, only the token.
 */
final class RealPki implements AutoCloseable {

    final Path dir;
    final String node;
    private final ServiceProcess process;

    private RealPki(Path dir, String node, ServiceProcess process) {
        this.dir = dir;
        this.node = node;
        this.process = process;
    }

    static RealPki start(String name) throws Exception {
        Path dir = Files.createTempDirectory("node-agent-" + name);
        String node = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        SigningKeys.KeyPair signing = SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub"));
        Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    " + node
                + ":\n      ansible_host: 127.0.0.1\n");
        Files.writeString(dir.resolve("ca-password"), "it-" + UUID.randomUUID());
        Files.setPosixFilePermissions(dir.resolve("ca-password"), PosixFilePermissions.fromString("rw-------"));
        Instant now = Instant.now();
        String token = new EnrolmentToken(UUID.randomUUID().toString(), node, now,
                now.plus(Duration.ofHours(1)), signing.keyId()).mint(signing.privateKey());
        Files.writeString(dir.resolve("enrolment-token"), token + "\n");
        ServiceProcess pki = ServiceProcess.start("pki-service", "pki-service", Map.of(
                "kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers(),
                "goldentooth.pki.state-dir", dir.resolve("pki").toString(),
                "goldentooth.pki.password-file", dir.resolve("ca-password").toString(),
                "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString()), dir);
        return new RealPki(dir, node, pki);
    }

    /** pki's REST API ({@code GET /certs} is what {@code goldentooth certs} shows). */
    String baseUrl() {
        return process.baseUrl();
    }

    /** The agent's configuration for this pki: the broker, the node, its state and its token; no task key file. */
    Map<String, String> agentProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers());
        properties.put("goldentooth.agent.node-name", node);
        properties.put("goldentooth.agent.trusted-key-files", dir.resolve("not-given.pub").toString());
        properties.put("goldentooth.agent.state-dir", dir.resolve("agent").toString());
        properties.put("goldentooth.agent.enrolment-token-file", dir.resolve("enrolment-token").toString());
        properties.put("goldentooth.agent.renewal.tick", "200ms");
        return properties;
    }

    @Override
    public void close() {
        process.close();
    }
}
