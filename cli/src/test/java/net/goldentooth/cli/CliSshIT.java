package net.goldentooth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.ssh.SshLogin;
import net.goldentooth.testkit.OpenSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cp} and {@code shell} against two real OpenSSH sshd hosts on loopback (ports 20021 and
 * 20022), logging in with a user certificate; the inventory comes from the in-test provisioner
 * stand-in. The read-only and full destinations are tmpfs mounts the test makes (it runs as root).
 */
class CliSshIT {

    @TempDir
    static Path dir;
    static OpenSshd alpha;
    static OpenSshd beta;
    static FakeProvisioner provisioner;
    static Path readOnly;
    static Path full;
    private Capture out;
    private Capture err;

    @BeforeAll
    static void start() throws Exception {
        OpenSshd.Credentials credentials = OpenSshd.Credentials.create(dir.resolve("client"));
        alpha = OpenSshd.start(20021, dir.resolve("alpha"), credentials);
        beta = OpenSshd.start(20022, dir.resolve("beta"), credentials);
        Files.writeString(dir.resolve("known_hosts"), alpha.knownHostsLine() + "\n" + beta.knownHostsLine() + "\n");
        provisioner = new FakeProvisioner();
        provisioner.inventoryJson = """
                {"hosts": {
                  "alpha": {"name": "alpha", "address": "127.0.0.1", "groups": ["lab"],
                            "vars": {"ansible_port": 20021, "ansible_user": "root"}},
                  "beta": {"name": "beta", "address": "127.0.0.1", "groups": ["lab"], "vars": {"ansible_port": 20022}},
                  "down": {"name": "down", "address": "127.0.0.1", "groups": [], "vars": {"ansible_port": 20029}}},
                 "groups": {"all": ["alpha", "beta", "down"], "lab": ["alpha", "beta"]}}
                """;
        readOnly = mount(dir.resolve("ro"), "ro,size=64k");
        full = mount(dir.resolve("full"), "size=16k");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Path mount : new Path[] {readOnly, full}) {
            if (mount != null) {
                new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Stream.of(alpha, beta).filter(s -> s != null).forEach(OpenSshd::close);
        if (provisioner != null) {
            provisioner.close();
        }
    }

    private static Path mount(Path where, String options) throws Exception {
        Files.createDirectories(where);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", where.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                "this test mounts tmpfs (needs root and CAP_SYS_ADMIN): " + output);
        return where;
    }

    private int run(String stdin, String... args) {
        out = new Capture();
        err = new Capture();
        CliContext context = new CliContext(out.stream, err.stream,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Map.of(Endpoint.ENV, provisioner.url(), "USER", "alice", "HOME", dir.toString(),
                        SshLogin.IDENTITY_ENV, dir.resolve("client/id_certified").toString(),
                        SshLogin.KNOWN_HOSTS_ENV, dir.resolve("known_hosts").toString()),
                Clock.systemUTC());
        return Main.run(context, args);
    }

    @Test
    void copyToAGroupBackToLocalAndNodeToNodeWithChecksums() throws Exception {
        Path source = dir.resolve("payload.bin");
        byte[] payload = new byte[200_000];
        new java.util.Random(7).nextBytes(payload);
        Files.write(source, payload);
        Path remoteDir = Files.createDirectories(dir.resolve("remote-up"));

        assertEquals(0, run("", "cp", source.toString(), "lab:" + remoteDir + "/copy.bin"), err.text());
        String sha = sha256(payload);
        assertTrue(out.text().contains("alpha | SUCCESS | 200000 bytes, sha256 " + sha), out.text());
        assertTrue(out.text().contains("beta | SUCCESS | 200000 bytes, sha256 " + sha), out.text());
        assertEquals(sha, sha256(Files.readAllBytes(remoteDir.resolve("copy.bin"))));

        Path back = Files.createDirectories(dir.resolve("back"));
        assertEquals(0, run("", "cp", "alpha:" + remoteDir + "/copy.bin", back.toString()), err.text());
        assertEquals(sha, sha256(Files.readAllBytes(back.resolve("copy.bin"))));

        Path relayed = Files.createDirectories(dir.resolve("relayed"));
        assertEquals(0, run("", "cp", "alpha:" + remoteDir + "/copy.bin", "beta:" + relayed), err.text());
        assertTrue(out.text().contains("beta | SUCCESS"), out.text());
        assertEquals(sha, sha256(Files.readAllBytes(relayed.resolve("copy.bin"))));
        assertNoTemporaryFiles(remoteDir, back, relayed);
    }

    @Test
    void aReadOnlyOrFullDestinationFailsAndLeavesNoFileUnderItsName() throws Exception {
        Path source = dir.resolve("big.bin");
        Files.write(source, new byte[64 * 1024]);
        assertEquals(1, run("", "cp", source.toString(), "alpha:" + readOnly + "/big.bin"));
        assertTrue(err.text().contains("alpha | FAILED | writing " + readOnly + "/big.bin failed"), err.text());
        assertFalse(Files.exists(readOnly.resolve("big.bin")));

        assertEquals(1, run("", "cp", source.toString(), "alpha:" + full + "/big.bin"));
        assertTrue(err.text().contains("alpha | FAILED"), err.text());
        try (Stream<Path> left = Files.list(full)) {
            assertEquals(List.of(), left.toList(), "neither the destination nor a temporary file is left");
        }
    }

    @Test
    void anUnreachableNodeIsReportedPerTarget() throws Exception {
        Path source = Files.writeString(dir.resolve("small.txt"), "small\n");
        Path remoteDir = Files.createDirectories(dir.resolve("remote-partial"));
        assertEquals(3, run("", "cp", source.toString(), "alpha,down:" + remoteDir));
        assertTrue(out.text().contains("alpha | SUCCESS"), out.text());
        assertTrue(err.text().contains("down | UNREACHABLE | down ([127.0.0.1]:20029) unreachable: connection refused"),
                err.text());
    }

    @Test
    void broadcastRunsEveryLineOnEveryNodeTaggedByHost() {
        int code = run("echo line-one\necho to-stderr >&2\nexit 4\n", "shell", "lab");
        assertEquals(1, code, err.text());
        String stdout = out.text();
        assertTrue(stdout.contains("alpha: line-one") && stdout.contains("beta: line-one"), stdout);
        assertTrue(err.text().contains("alpha: to-stderr") && err.text().contains("beta: to-stderr"), err.text());
        assertTrue(err.text().contains("alpha: exit 4") && err.text().contains("beta: exit 4"), err.text());
    }

    @Test
    void aSingleNodeShellHasAPty() {
        int code = run("tty\nexit 0\n", "shell", "beta");
        assertEquals(0, code, err.text());
        assertTrue(out.text().contains("/dev/pts/"), out.text());
    }

    /**
     * The shell through a real terminal: util-linux's script(1) gives the CLI process a
     * pseudo-terminal, as an operator's terminal emulator would. The node's PTY takes the local
     * window's size and follows a resize; Ctrl-C reaches the node's command and leaves the CLI
     * running (the local terminal is raw); and the local terminal is set back as it was afterwards.
     */
    @Test
    void aShellInARealTerminalTakesItsSizeFollowsAResizePassesCtrlCAndRestoresTheTerminal() throws Exception {
        Path resize = dir.resolve("resize-now");
        Path session = Files.writeString(dir.resolve("terminal-session.sh"), """
                stty rows 37 cols 111
                before=$(stty -g)
                ( while [ ! -e "$RESIZE" ]; do sleep 0.1; done; stty rows 33 cols 99 < /dev/tty ) &
                "$JAVA" -cp "$CLI_CLASSPATH" net.goldentooth.cli.Main shell beta
                echo "shell-exit=$?"
                [ "$before" = "$(stty -g)" ] && echo terminal-restored
                """);
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", "sh " + session, "/dev/null")
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "RESIZE", resize.toString(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "CLI_CLASSPATH", System.getProperty("java.class.path"),
                "TERM", "xterm",
                Endpoint.ENV, provisioner.url(), "HOME", dir.toString(),
                SshLogin.IDENTITY_ENV, dir.resolve("client/id_certified").toString(),
                SshLogin.KNOWN_HOSTS_ENV, dir.resolve("known_hosts").toString()));
        Process terminal = builder.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = terminal.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException closed) {
                // the terminal ended
            }
        });
        reader.start();
        try (OutputStream keys = terminal.getOutputStream()) {
            // The node's prompt is copied to the screen only after the CLI made the terminal raw.
            awaitScreen(screen, s -> s.endsWith("# "), "the node's prompt");
            type(keys, "stty size\r");
            awaitScreen(screen, s -> s.contains("37 111"), "the local window's size on the node");

            // The resize reaches the node asynchronously (SIGWINCH, then a window-change request): ask until it shows.
            Files.createFile(resize);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!screen.toString().contains("33 99")) {
                assertTrue(System.nanoTime() < deadline, "the resized window never reached the node:\n" + screen);
                type(keys, "stty size\r");
                Thread.sleep(300);
            }

            // Longer than the wait for still-42 below: only a Ctrl-C that reached the node lets it show in time.
            type(keys, "sleep 60; echo uninterrupted-$((1+1))\r");
            Thread.sleep(500);
            type(keys, "\u0003");
            type(keys, "echo still-$((6*7))\r");
            awaitScreen(screen, s -> s.contains("still-42"), "the CLI still running after Ctrl-C");
            assertFalse(screen.toString().contains("uninterrupted-2"), screen.toString());

            type(keys, "exit\r");
            awaitScreen(screen, s -> s.contains("terminal-restored"), "the local terminal set back as it was");
            assertTrue(screen.toString().contains("shell-exit=0"), screen.toString());
            assertTrue(terminal.waitFor(20, TimeUnit.SECONDS), screen.toString());
        } finally {
            terminal.descendants().forEach(ProcessHandle::destroyForcibly);
            terminal.destroyForcibly();
            reader.join(5_000);
        }
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void awaitScreen(StringBuffer screen, Predicate<String> shown, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!shown.test(screen.toString())) {
            assertTrue(System.nanoTime() < deadline, "waited 30 s for " + what + "; the screen:\n" + screen);
            Thread.sleep(200);
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedWithoutTrustOnFirstUse() throws Exception {
        Files.writeString(dir.resolve("empty_known_hosts"), "");
        out = new Capture();
        err = new Capture();
        CliContext context = new CliContext(out.stream, err.stream, new ByteArrayInputStream(new byte[0]),
                Map.of(Endpoint.ENV, provisioner.url(), "HOME", dir.toString(),
                        SshLogin.IDENTITY_ENV, dir.resolve("client/id_certified").toString(),
                        SshLogin.KNOWN_HOSTS_ENV, dir.resolve("empty_known_hosts").toString()),
                Clock.systemUTC());
        assertEquals(4, Main.run(context, "shell", "alpha"));
        assertTrue(err.text().contains("is not in known_hosts"), err.text());
    }

    private static void assertNoTemporaryFiles(Path... dirs) throws Exception {
        for (Path d : dirs) {
            try (Stream<Path> files = Files.list(d)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".goldentooth-")), d.toString());
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
