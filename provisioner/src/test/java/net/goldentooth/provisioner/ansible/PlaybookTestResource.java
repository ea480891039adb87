package net.goldentooth.provisioner.ansible;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An inventory whose one host is this machine reached with {@code ansible_connection=local}, the
 * fixture playbooks of {@code src/test/resources/ansible}, a temporary log directory and a small
 * output cap (8 KiB, 1 KiB tail) so a chatty playbook goes over it.
 */
public class PlaybookTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("provisioner-playbook-it");
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      children:
                        local:
                          hosts:
                            localhost:
                              ansible_host: 127.0.0.1
                              ansible_connection: local
                              ansible_python_interpreter: /usr/bin/python3
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString(),
                "goldentooth.provisioner.max-output-bytes", "8192",
                "goldentooth.provisioner.playbooks.dir", Path.of("src/test/resources/ansible").toAbsolutePath().toString(),
                "goldentooth.provisioner.playbooks.log-dir", dir.resolve("logs").toString(),
                "goldentooth.provisioner.playbooks.tail-bytes", "1024");
    }

    @Override
    public void stop() {
        // the temporary directory holds only test files; the OS cleans /tmp
    }
}
