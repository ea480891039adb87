package net.goldentooth.agent.certs.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;

/**
 * The real pki-service, run from its packaged fast-jar as {@code ./goldentooth up} runs it, with
 * an inventory holding this test's node, and the agent configured for it: one enrolment token
 * minted the way the provisioner mints them (signed with a task-signing key whose public half pki
 * trusts), a one-minute canary (pki's minimum) so that a renewal by proof of possession follows
 * within about 25 s, the CA bundle and both SSH CA keys installed from {@code pki.trust}, and the
 * SSH host certificate for a host key made by {@code ssh-keygen}. The agent is given no task key
 * file, only the token: it learns the provisioner's key from {@code pki.trust}.
 */
public class PkiServiceTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;
    static String node;
    private ServiceProcess pki;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("node-agent-pki-it");
            node = "it-pki-" + UUID.randomUUID().toString().substring(0, 8);
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
            String bootstrap = KafkaBroker.shared().bootstrapServers();
            pki = ServiceProcess.start("pki-service", "pki-service", Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "goldentooth.pki.state-dir", dir.resolve("pki").toString(),
                    "goldentooth.pki.password-file", dir.resolve("ca-password").toString(),
                    "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                    "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString()), dir);
            Files.createDirectories(dir.resolve("ssh"));
            Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    dir.resolve("ssh/ssh_host_ed25519_key").toString()).redirectErrorStream(true).start();
            if (keygen.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen (Debian's openssh-client) could not make a host key: "
                        + new String(keygen.getInputStream().readAllBytes()));
            }
            return Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", bootstrap),
                    Map.entry("goldentooth.agent.node-name", node),
                    Map.entry("goldentooth.agent.trusted-key-files", dir.resolve("not-given.pub").toString()),
                    Map.entry("goldentooth.agent.state-dir", dir.resolve("agent").toString()),
                    Map.entry("goldentooth.agent.enrolment-token-file", dir.resolve("enrolment-token").toString()),
                    Map.entry("goldentooth.agent.canary.lifetime", "60s"),
                    Map.entry("goldentooth.agent.trust.ca-bundle-path", dir.resolve("trust/goldentooth.crt").toString()),
                    Map.entry("goldentooth.agent.trust.ssh-user-ca-path", dir.resolve("ssh/trusted-user-ca.pub").toString()),
                    Map.entry("goldentooth.agent.trust.ssh-known-hosts-path", dir.resolve("ssh/ssh_known_hosts").toString()),
                    Map.entry("goldentooth.agent.ssh-host.enabled", "true"),
                    Map.entry("goldentooth.agent.ssh-host.public-key-path",
                            dir.resolve("ssh/ssh_host_ed25519_key.pub").toString()),
                    Map.entry("goldentooth.agent.ssh-host.sshd-config-path",
                            dir.resolve("ssh/sshd_config.d/goldentooth.conf").toString()),
                    Map.entry("goldentooth.agent.ssh-host.reload-command", "touch " + dir.resolve("ssh/reloaded")),
                    Map.entry("goldentooth.agent.renewal.tick", "200ms"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (pki != null) {
            pki.close();
        }
    }
}
