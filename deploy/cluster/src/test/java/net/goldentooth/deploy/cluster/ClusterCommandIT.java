package net.goldentooth.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./goldentooth cluster} refuses what it cannot do in one line, before it changes anything
 * (no bridge, no machine directory, no control plane): bad arguments, no root, no systemd-nspawn.
 * These need no kernel capability, so they run wherever the tests run.
 */
class ClusterCommandIT {

    private final Path root = KafkaBroker.projectRoot();

    @TempDir
    Path state;

    private Cluster cluster(Map<String, String> env) {
        return new Cluster(root, state, 45_900, env);
    }

    private static void oneLine(Cluster.Result result, int code, String expected) {
        assertEquals(code, result.exitCode(), result.output());
        assertEquals(1, result.output().strip().lines().count(), "one line: " + result.output());
        assertTrue(result.output().contains(expected), result.output());
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        Cluster c = cluster(Map.of());
        oneLine(c.goldentooth(30, "cluster", "up", "--nodes", "0"), 1, "--nodes must be 1 to 13");
        oneLine(c.goldentooth(30, "cluster", "up", "--nodes", "14"), 1, "--nodes must be 1 to 13");
        oneLine(c.goldentooth(30, "cluster", "up", "--nodes", "three"), 1, "--nodes must be 1 to 13");
        oneLine(c.goldentooth(30, "cluster", "up", "--bogus"), 1, "unknown option '--bogus'");
        oneLine(c.goldentooth(30, "cluster", "exec", "nosuchnode", "true"), 1, "no machine named 'nosuchnode'");
        assertEquals(2, c.goldentooth(30, "cluster", "frobnicate").exitCode());
        assertFalse(Files.exists(state.resolve("cluster/machines")), "nothing was made");
    }

    @Test
    void withoutSystemdNspawnItSaysWhichPackage() throws IOException {
        // A PATH with the tools the script needs before its check, and no systemd-nspawn.
        Path bin = state.resolve("bin");
        Files.createDirectories(bin);
        for (String tool : List.of("bash", "sed", "cat", "dirname", "readlink", "tr", "wc", "ip", "java")) {
            Path real = Path.of(new String(new ProcessBuilder("sh", "-c", "command -v " + tool).start()
                    .getInputStream().readAllBytes()).strip());
            Files.createSymbolicLink(bin.resolve(tool), real.toRealPath());
        }
        Cluster c = cluster(Map.of("PATH", bin.toString()));
        oneLine(c.goldentooth(30, "cluster", "up", "--nodes", "3"), 1,
                "systemd-nspawn is missing: apt-get install systemd-container");
        assertFalse(Files.exists(state.resolve("cluster/machines")), "nothing was made");
    }

    @Test
    void withoutRootItSaysSo() throws IOException {
        // setpriv drops to nobody for the one command; the checkout is world-readable.
        Cluster c = cluster(Map.of());
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Cluster.Result result = c.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "./goldentooth", "cluster", "up", "--nodes", "3"), 30);
        oneLine(result, 1, "cluster needs root");
    }
}
