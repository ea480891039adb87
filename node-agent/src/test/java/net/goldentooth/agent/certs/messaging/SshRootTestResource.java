package net.goldentooth.agent.certs.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real pki-service ({@link RealPki}) and an agent allowed to act as root with the root user
 * certificate enabled: its key at the default place under the state directory, and the SSH user
 * CA from {@code pki.trust} installed where a test sshd can read it as {@code TrustedUserCAKeys}.
 */
public class SshRootTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;
    static String node;
    static String pkiUrl;
    private RealPki pki;

    @Override
    public Map<String, String> start() {
        try {
            pki = RealPki.start("it-root");
            dir = pki.dir;
            node = pki.node;
            pkiUrl = pki.baseUrl();
            Map<String, String> properties = pki.agentProperties();
            properties.putAll(Map.of(
                    "goldentooth.agent.allow-root", "true",
                    "goldentooth.agent.ssh-root.enabled", "true",
                    "goldentooth.agent.trust.ssh-user-ca-path", dir.resolve("trust/user_ca.pub").toString()));
            return properties;
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
