package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.SnapshotName;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.ShellResult;
import org.junit.jupiter.api.Assumptions;

/**
 * Two real zfs-fuse pools on 128 MiB image files, standing for a source and a target node.
 * Starts the zfs-fuse daemon when none runs (and stops only the one it started). Skips only
 * when the kernel lacks {@code /dev/fuse}; a missing zfs-fuse package is a failure.
 */
public final class ZfsFusePools implements AutoCloseable {

    public final String source;
    public final String target;
    public final String sourceDataset;
    public final String targetDataset;
    private final Path dir;
    private final LocalNodeShell shell = new LocalNodeShell(Duration.ofMinutes(2));
    private final Path startedPidFile;

    private ZfsFusePools(Path dir, Path startedPidFile) {
        this.dir = dir;
        this.startedPidFile = startedPidFile;
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.source = "gtsrc" + id;
        this.target = "gtdst" + id;
        this.sourceDataset = source + "/data";
        // The same name on both sides, as the seed's rpool/data on allyrion and gardener.
        this.targetDataset = target + "/data";
    }

    public static ZfsFusePools create(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")),
                "/dev/fuse is missing: the kernel has no FUSE device, so zfs-fuse cannot run here");
        if (!Files.isExecutable(Path.of("/usr/sbin/zfs-fuse"))) {
            fail("Debian's zfs-fuse is not installed: apt-get install zfs-fuse"
                    + " (listed in .ci/packages/storage-service.txt)");
        }
        LocalNodeShell probe = new LocalNodeShell(Duration.ofSeconds(30));
        Path started = null;
        if (!probe.run("local", "zpool list", null).ok()) {
            started = dir.resolve("zfs-fuse.pid");
            ShellResult start = probe.run("local", "/usr/sbin/zfs-fuse --pidfile '" + started + "'", null);
            assertEquals(0, start.exitCode(), "zfs-fuse did not start: " + start.stderr());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!probe.run("local", "zpool list", null).ok()) {
                if (System.nanoTime() > deadline) {
                    fail("zfs-fuse started but 'zpool list' still fails after 30 s");
                }
                Thread.sleep(200);
            }
        }
        ZfsFusePools pools = new ZfsFusePools(dir, started);
        for (String pool : List.of(pools.source, pools.target)) {
            Path image = dir.resolve(pool + ".img");
            pools.sh("truncate -s 128M '" + image + "' && zpool create -m none " + pool + " '" + image + "'");
        }
        pools.sh("zfs create " + pools.sourceDataset);
        return pools;
    }

    /** Runs a command that must succeed, returning its standard output. */
    public String sh(String command) {
        ShellResult result = shell.run("local", command, null);
        assertEquals(0, result.exitCode(), command + " failed: " + result.stderr());
        return result.stdout();
    }

    /**
     * Takes {@code count} hourly snapshots of {@code dataset}, named as sanoid names them and stamped
     * one hour apart ending at {@code end} ({@code zfs snapshot -r} when {@code recursive}); answers
     * the names, oldest first.
     */
    public List<String> takeHourlies(String dataset, boolean recursive, int count, Instant end) {
        List<String> names = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            String name = SnapshotName.of(end.minus(Duration.ofHours(i)), ZoneOffset.UTC, Period.HOURLY).format();
            sh("zfs snapshot " + (recursive ? "-r " : "") + dataset + "@" + name);
            names.add(name);
        }
        return names;
    }

    public ShellResult tryRun(String command) {
        return shell.run("local", command, null);
    }

    public List<String> snapshots(String dataset) {
        return sh("zfs list -H -t snapshot -o name -r " + dataset).lines()
                .filter(l -> l.startsWith(dataset + "@")).map(l -> l.substring(dataset.length() + 1)).toList();
    }

    public String guid(String dataset, String snapshot) {
        return sh("zfs get -H -o value guid " + dataset + "@" + snapshot).strip();
    }

    @Override
    public void close() throws IOException {
        tryRun("zpool destroy -f " + source);
        tryRun("zpool destroy -f " + target);
        if (startedPidFile != null && Files.exists(startedPidFile)) {
            long pid = Long.parseLong(Files.readString(startedPidFile).strip());
            // Wait for it to go, so that the next test's daemon does not meet this one's socket.
            ProcessHandle.of(pid).ifPresent(daemon -> {
                daemon.destroy();
                daemon.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
            });
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".img")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
