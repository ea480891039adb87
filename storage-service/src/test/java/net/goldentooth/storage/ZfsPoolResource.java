package net.goldentooth.storage;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.goldentooth.storage.execution.ZfsFusePools;

/**
 * Real zfs-fuse pools for the service under test, and a sanoid.conf with the seed's production
 * template for the source dataset; the service runs its commands on this machine
 * ({@code shell=local}) and pipes sends locally ({@code transport=local}).
 */
public class ZfsPoolResource implements QuarkusTestResourceLifecycleManager {

    static ZfsFusePools pools;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("storage-it");
            pools = ZfsFusePools.create(dir);
            Path conf = dir.resolve("sanoid.conf");
            Files.writeString(conf, "[" + pools.sourceDataset + "]\n\tuse_template = production\n\trecursive = yes\n"
                    + "\tautosnap = yes\n\tautoprune = yes\n\n[template_production]\n\tfrequently = 0\n\thourly = 36\n"
                    + "\tdaily = 30\n\tmonthly = 3\n\tyearly = 0\n\tautosnap = yes\n\tautoprune = yes\n");
            return Map.of(
                    "goldentooth.storage.sanoid-config", conf.toString(),
                    "goldentooth.storage.inventory", dir.resolve("no-inventory.yaml").toString(),
                    "goldentooth.storage.source", "allyrion",
                    "goldentooth.storage.targets", "gardener",
                    "goldentooth.storage.target-pool", pools.target,
                    "goldentooth.storage.shell", "local",
                    "goldentooth.storage.transport", "local",
                    "goldentooth.storage.scheduler-enabled", "false");
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up zfs-fuse pools: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        try {
            if (pools != null) {
                pools.close();
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleaning up zfs-fuse pools failed", e);
        }
    }
}
