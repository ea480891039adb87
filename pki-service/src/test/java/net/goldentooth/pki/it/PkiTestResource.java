package net.goldentooth.pki.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.goldentooth.events.signing.SigningKeys;

/**
 * A fresh state directory, an inventory of four nodes (alpha is granted {@code web.service.consul}),
 * and a provisioner token-signing key pair whose private half the tests use to mint tokens.
 */
public class PkiTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;

    static Path signingKey() {
        return dir.resolve("task-signing.key");
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("pki-it");
            SigningKeys.loadOrCreate(signingKey(), dir.resolve("task-signing.pub"));
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      children:
                        lab:
                          hosts:
                            alpha: {ansible_host: 10.9.0.1, pki_names: [web.service.consul]}
                            beta: {ansible_host: 10.9.0.2}
                            gamma: {ansible_host: 10.9.0.3}
                            skewy: {ansible_host: 10.9.0.4}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "goldentooth.pki.state-dir", dir.resolve("state").toString(),
                "goldentooth.pki.password-file", dir.resolve("state/ca-password").toString(),
                "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString(),
                "goldentooth.pki.expiry-scan-interval", "300ms");
    }

    @Override
    public void stop() {
        // the temporary directory holds only test files; the OS cleans /tmp
    }
}
