package net.goldentooth.agent.certs.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.TestTlsServer;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;

/**
 * The agent for {@link CertificatesIT}: the real broker, a node of its own, two enrolment tokens,
 * a managed certificate {@code web} (reload hook touches a marker), the canary, and a managed
 * certificate {@code vault} that already holds a 30-second certificate (issued by the test's CA
 * for a key on disk) and whose probe endpoint is a TLS server that never reloads.
 */
public class CertificatesTestResource implements QuarkusTestResourceLifecycleManager {

    static final TestCa CA = new TestCa();
    static final List<String> TOKENS = List.of("token-" + UUID.randomUUID(), "token-" + UUID.randomUUID(),
            "token-" + UUID.randomUUID());
    static Path dir;
    static String node;
    static X509Certificate oldVaultCertificate;
    static TestTlsServer vault;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("node-agent-certs-it");
            node = "it-certs-" + UUID.randomUUID().toString().substring(0, 8);
            SigningKeys.loadOrCreate(dir.resolve("task-signing.key"), dir.resolve("task-signing.pub"));
            Files.writeString(dir.resolve("enrolment-token"), String.join("\n", TOKENS) + "\n");

            Path vaultDir = Files.createDirectories(dir.resolve("vault"));
            KeyPair vaultKeys = NodeKeys.generate();
            Files.writeString(vaultDir.resolve("key.pem"), NodeKeys.privateKeyPem(vaultKeys.getPrivate()));
            Instant now = Instant.now();
            oldVaultCertificate = CA.issue(NodeKeys.csrPem(vaultKeys, node, List.of(node)), now.minusSeconds(60),
                    now.plusSeconds(30));
            Files.writeString(vaultDir.resolve("cert.pem"), NodeKeys.pem(oldVaultCertificate), StandardCharsets.US_ASCII);
            vault = new TestTlsServer(vaultDir.resolve("key.pem"), vaultDir.resolve("cert.pem"),
                    vaultDir.resolve("reloaded"), false);

            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers());
            config.put("goldentooth.agent.node-name", node);
            config.put("goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString());
            config.put("goldentooth.agent.state-dir", dir.resolve("state").toString());
            config.put("goldentooth.agent.enrolment-token-file", dir.resolve("enrolment-token").toString());
            config.put("goldentooth.agent.renewal.tick", "200ms");
            config.put("goldentooth.agent.renewal.backoff-initial", "1s");
            config.put("goldentooth.agent.renewal.backoff-max", "5s");
            config.put("goldentooth.agent.renewal.probe-timeout", "2s");
            config.put("goldentooth.agent.certificates.web.cert-path", dir.resolve("web/cert.pem").toString());
            config.put("goldentooth.agent.certificates.web.key-path", dir.resolve("web/key.pem").toString());
            config.put("goldentooth.agent.certificates.web.chain-path", dir.resolve("web/chain.pem").toString());
            config.put("goldentooth.agent.certificates.web.reload-command", "touch " + dir.resolve("web/reloaded"));
            config.put("goldentooth.agent.certificates.vault.cert-path", vaultDir.resolve("cert.pem").toString());
            config.put("goldentooth.agent.certificates.vault.key-path", vaultDir.resolve("key.pem").toString());
            config.put("goldentooth.agent.certificates.vault.names", node);
            config.put("goldentooth.agent.certificates.vault.reload-command", "touch " + vaultDir.resolve("reloaded"));
            config.put("goldentooth.agent.certificates.vault.probe-endpoint", vault.endpoint());
            config.put("goldentooth.agent.trust.ca-bundle-path", dir.resolve("trust/goldentooth.crt").toString());
            config.put("goldentooth.agent.trust.ssh-known-hosts-path", dir.resolve("trust/ssh_known_hosts").toString());
            config.put("goldentooth.agent.scan.kubernetes-pki-dir", dir.resolve("no-kubernetes").toString());
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (vault != null) {
                vault.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
