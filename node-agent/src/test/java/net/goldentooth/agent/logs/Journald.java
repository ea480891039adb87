package net.goldentooth.agent.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real systemd-journald for a test, in a mount and PID namespace of its own ({@code unshare}):
 * its sockets ({@code /run/systemd/journal}) and its runtime journal ({@code /run/log/journal}) are
 * bind-mounted from a temporary directory, so the test writes through {@link #log} (logger(1) on
 * journald's syslog socket) and reads with {@code journalctl --directory=<journal>}. {@code /dev/kmsg}
 * is hidden so the host's kernel messages stay out. A machine without {@code unshare} rights skips the
 * test, saying so; a missing systemd-journald or logger, or a journald that does not start, fails it.
 */
final class Journald implements AutoCloseable {

    private final Path dir;
    private final Process namespace;

    private Journald(Path dir, Process namespace) {
        this.dir = dir;
        this.namespace = namespace;
    }

    static Journald start() throws IOException, InterruptedException {
        org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(Path.of("/lib/systemd/systemd-journald")),
                "systemd-journald is not installed (apt-get install -y systemd)");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(Path.of("/usr/bin/logger")), "logger(1) is not installed (bsdutils)");
        // The one reason to skip: this machine forbids the namespaces. Probed on its own, so that a
        // journald that dies for any other reason (a broken mount script, a bad option) fails the test.
        Process probe = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--mount-proc", "true")
                .redirectErrorStream(true).start();
        String probed = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (probe.waitFor() != 0) {
            Assumptions.abort("cannot run systemd-journald in a namespace here (unshare needs CAP_SYS_ADMIN): "
                    + probed.strip());
        }
        Path dir = Files.createTempDirectory("journald-it");
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        // A tmpfs over /run first, so the mount points are made in the namespace, not on the host.
        String script = "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal /run/log/journal"
                + " && mount --bind " + dir.resolve("run") + " /run/systemd/journal"
                + " && mount --bind " + dir.resolve("log") + " /run/log/journal"
                + " && mount --bind /dev/null /dev/kmsg"
                + " && exec /lib/systemd/systemd-journald";
        Process process = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--mount-proc",
                "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("journald.out").toFile()).start();
        Journald journald = new Journald(dir, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(dir.resolve("run/dev-log")) || journalFiles(dir).isEmpty()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("systemd-journald exited while starting: "
                        + Files.readString(dir.resolve("journald.out")));
            }
            if (System.nanoTime() > deadline) {
                journald.close();
                throw new IllegalStateException("systemd-journald did not start within 10 s: "
                        + Files.readString(dir.resolve("journald.out")));
            }
            Thread.sleep(50);
        }
        return journald;
    }

    private static List<Path> journalFiles(Path dir) throws IOException {
        try (var files = Files.walk(dir.resolve("log"))) {
            return files.filter(p -> p.toString().endsWith(".journal")).toList();
        }
    }

    /** The journalctl the agent runs: this journal only. */
    List<String> journalctl() {
        return List.of("journalctl", "--directory=" + dir.resolve("log"));
    }

    /** Writes lines through journald's syslog socket, one message each, as {@code identifier} at a syslog level. */
    void log(String identifier, String level, List<String> lines) throws IOException, InterruptedException {
        log(identifier, level, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    void log(String identifier, String level, byte[] lines) throws IOException, InterruptedException {
        Process logger = new ProcessBuilder("logger", "--socket", dir.resolve("run/dev-log").toString(),
                "--socket-errors=on", "-t", identifier, "-p", level).redirectErrorStream(true).start();
        try (OutputStream in = logger.getOutputStream()) {
            in.write(lines);
            in.write('\n');
        }
        if (!logger.waitFor(30, TimeUnit.SECONDS) || logger.exitValue() != 0) {
            throw new IllegalStateException("logger failed: " + new String(logger.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    Path dir() {
        return dir;
    }

    /** Makes journald rotate its files (SIGUSR2) and waits until the new file exists. */
    void rotate() throws IOException, InterruptedException {
        long pid = namespace.descendants().filter(p -> p.info().command().map(c -> c.endsWith("systemd-journald"))
                .orElse(false)).mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("systemd-journald is not running"));
        int before = journalFiles(dir).size();
        new ProcessBuilder("kill", "-USR2", Long.toString(pid)).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (journalFiles(dir).size() <= before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("journald did not rotate within 10 s");
            }
            Thread.sleep(50);
        }
    }

    /** Deletes all but the newest journal file, as {@code journalctl --vacuum-files=1} does on a node. */
    void vacuumToOneFile() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("journalctl", "--directory=" + dir.resolve("log"), "--vacuum-files=1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("journalctl --vacuum-files=1 failed: " + out);
        }
    }

    @Override
    public void close() {
        namespace.descendants().forEach(ProcessHandle::destroy);
        namespace.destroy();
        try {
            if (!namespace.waitFor(5, TimeUnit.SECONDS)) {
                namespace.descendants().forEach(ProcessHandle::destroyForcibly);
                namespace.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
