package net.goldentooth.provisioner.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A temporary inventory (alpha, beta and the never-answering silent in group {@code lab}) and
 * temporary signing-key paths, with a short accept deadline so unreachable targets end quickly.
 */
public class ProvisionerTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;

    static Path publicKey() {
        return dir.resolve("task-signing.pub");
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("provisioner-it");
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      children:
                        lab:
                          hosts:
                            alpha: {ansible_host: 127.0.0.1}
                            beta: {ansible_host: 127.0.0.1}
                            silent: {ansible_host: 127.0.0.1}
                        workers:
                          hosts:
                            alpha:
                            beta:
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", publicKey().toString(),
                "goldentooth.provisioner.accept-deadline", "3s");
    }

    @Override
    public void stop() {
        // the temporary directory holds only test files; the OS cleans /tmp
    }
}
