package net.goldentooth.agent.certs.messaging;

import java.nio.file.Path;
import java.util.Map;

/**
 * The real pki-service ({@link RealPki}) and an agent allowed to act as root with the root user
 * certificate enabled: its key at the default place under the state directory, and the SSH user
 * CA from {@code pki.trust} installed where a test sshd can read it as {@code TrustedUserCAKeys}.
 */
public class SshRootTestResource extends RealPkiTestResource {

    static Path dir;
    static String node;
    static String pkiUrl;

    @Override
    String name() {
        return "it-root";
    }

    @Override
    void configure(RealPki pki, Map<String, String> properties) {
        dir = pki.dir;
        node = pki.node;
        pkiUrl = pki.baseUrl();
        properties.putAll(Map.of(
                "goldentooth.agent.allow-root", "true",
                "goldentooth.agent.ssh-root.enabled", "true",
                "goldentooth.agent.trust.ssh-user-ca-path", dir.resolve("trust/user_ca.pub").toString()));
    }
}
