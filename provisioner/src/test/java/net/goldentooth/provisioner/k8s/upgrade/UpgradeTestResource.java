package net.goldentooth.provisioner.k8s.upgrade;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A three-node cluster inventory (control planes cp1, cp2; worker w1) and a 1 s node-conditions poll. */
public class UpgradeTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;

    static Path publicKey() {
        return dir.resolve("task-signing.pub");
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("provisioner-upgrade-it");
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      children:
                        k8s:
                          children:
                            k8s_control_plane:
                              hosts:
                                cp1: {ansible_host: 127.0.0.1}
                                cp2: {ansible_host: 127.0.0.1}
                            k8s_worker:
                              hosts:
                                w1: {ansible_host: 127.0.0.1}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", publicKey().toString(),
                "goldentooth.provisioner.k8s.conditions-enabled", "true",
                "goldentooth.provisioner.k8s.conditions-interval", "1s",
                "goldentooth.provisioner.k8s.eviction-retry", "100ms");
    }

    @Override
    public void stop() {
        // the temporary directory holds only test files; the OS cleans /tmp
    }
}
