package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.SnapshotName;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.NodeShell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication through a real OpenSSH {@code sshd} (Debian's openssh-server) on loopback, between
 * two real zfs-fuse pools: {@code zfs send -I ... | ssh ... localhost 'zfs receive ...'}.
 *
 * <p>The certificates are made with {@code ssh-keygen -s}, not pki-service's SSH CA classes:
 * pki-service is a Quarkus application, not a library storage-service can depend on, and
 * {@code ssh-keygen} is the reference implementation of the format. A user CA signs the client's
 * key for principal {@code root} (as the PKI's root user certificates); sshd trusts it through
 * {@code TrustedUserCAKeys} and accepts no other key. A host CA signs sshd's host key for
 * {@code localhost}; the client verifies it through an {@code @cert-authority} line in its
 * known_hosts, with {@code StrictHostKeyChecking=yes}. sshd listens on a port of 27000-27999.
 */
class SshReplicationIT {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final String TARGET = "localhost";

    @TempDir
    Path dir;
    ZfsFusePools pools;
    Process sshd;
    int port;
    final List<String> commands = new ArrayList<>();
    final LocalNodeShell local = new LocalNodeShell(Duration.ofMinutes(2));
    final NodeShell recording = (node, command, stdin) -> {
        commands.add(command);
        return local.run(node, command, stdin);
    };

    @BeforeEach
    void start() throws Exception {
        for (Path binary : List.of(SSHD, SSH_KEYGEN, Path.of("/usr/bin/ssh"))) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: apt-get install openssh-server openssh-client"
                        + " (listed in .ci/packages/storage-service.txt)");
            }
        }
        pools = ZfsFusePools.create(dir);
        Path keys = Files.createDirectories(dir.resolve("ssh"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
        for (String key : List.of("user_ca", "host_ca", "other_ca", "host_key", "client_key")) {
            run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", keys.resolve(key).toString());
        }
        run(SSH_KEYGEN.toString(), "-q", "-s", keys.resolve("host_ca").toString(), "-I", "localhost-host", "-h",
                "-n", "localhost,127.0.0.1", "-V", "-5m:+1h", keys.resolve("host_key.pub").toString());
        run(SSH_KEYGEN.toString(), "-q", "-s", keys.resolve("user_ca").toString(), "-I", "storage-replication",
                "-n", "root", "-V", "-5m:+1h", keys.resolve("client_key.pub").toString());
        Files.writeString(keys.resolve("known_hosts"), "@cert-authority localhost,127.0.0.1 "
                + Files.readString(keys.resolve("host_ca.pub")));
        Files.writeString(keys.resolve("wrong_known_hosts"), "@cert-authority localhost,127.0.0.1 "
                + Files.readString(keys.resolve("other_ca.pub")));
        port = freePortInRange();
        Path config = keys.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + keys.resolve("host_key"),
                "HostCertificate " + keys.resolve("host_key-cert.pub"),
                "TrustedUserCAKeys " + keys.resolve("user_ca.pub"),
                "AuthorizedKeysFile none",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "PidFile " + keys.resolve("sshd.pid"),
                "LogLevel VERBOSE",
                ""));
        // sshd refuses to start without its privilege separation directory (made by the package's unit).
        Files.createDirectories(Path.of("/run/sshd"));
        run(SSHD.toString(), "-t", "-f", config.toString());
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(keys.resolve("sshd.log").toFile()).start();
        awaitListening(port);
    }

    @AfterEach
    void stop() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
        if (pools != null) {
            pools.close();
        }
    }

    private Transport transport(String knownHosts) {
        Path keys = dir.resolve("ssh");
        return Transport.ssh(new Transport.SshSettings("root", keys.resolve("client_key"),
                keys.resolve("client_key-cert.pub"), keys.resolve(knownHosts), port));
    }

    private ReplicationStatus replicate(Transport transport, ReplicationStatus previous) {
        return new Replicator(recording, transport, Clock.systemUTC())
                .replicate(pools.sourceDataset, "allyrion", TARGET, pools.targetDataset, previous);
    }

    private void takeHourlies(Instant... times) {
        for (Instant t : times) {
            pools.sh("zfs snapshot " + pools.sourceDataset + "@" + SnapshotName.of(t, ZoneOffset.UTC, Period.HOURLY).format());
        }
    }

    @Test
    void incrementalReplicationRunsThroughSshdWithTheUserCertificateAndAVerifiedHostCertificate() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        takeHourlies(t0, t0.plusSeconds(3600));
        ReplicationStatus first = replicate(transport("known_hosts"), null);
        assertEquals(ReplicationState.IN_SYNC, first.state(), first.toString() + "\n" + sshdLog());
        assertEquals(pools.snapshots(pools.sourceDataset), pools.snapshots(pools.targetDataset));

        takeHourlies(t0.plusSeconds(7200), t0.plusSeconds(10800));
        commands.clear();
        ReplicationStatus second = replicate(transport("known_hosts"), first);
        assertEquals(ReplicationState.IN_SYNC, second.state(), second.toString() + "\n" + sshdLog());
        assertTrue(second.bytesSent() > 0);
        assertEquals(pools.snapshots(pools.sourceDataset), pools.snapshots(pools.targetDataset));
        String send = commands.stream().filter(c -> c.contains("zfs send")).findFirst().orElseThrow();
        assertTrue(send.contains("zfs send -I "), "incremental from the common base: " + send);
        assertTrue(send.contains("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes") && send.contains("CertificateFile=")
                && send.contains("-p " + port + " -l root localhost"), send);
        // sshd saw a certificate login, not a key it had been told about.
        assertTrue(sshdLog().contains("Accepted publickey for root") && sshdLog().contains("ED25519-CERT"), sshdLog());
        assertEquals(pools.guid(pools.sourceDataset, first.lastCommon()), pools.guid(pools.targetDataset, first.lastCommon()));
    }

    @Test
    void aHostCertificateFromAnotherCaIsRefusedAndNothingIsReceived() {
        takeHourlies(Instant.parse("2026-01-01T00:00:00Z"));
        ReplicationStatus refused = replicate(transport("wrong_known_hosts"), null);
        assertEquals(ReplicationState.FAILED, refused.state());
        assertTrue(refused.lastError().contains("Host key verification failed"), refused.lastError());
        assertFalse(pools.tryRun("zfs list " + pools.targetDataset).ok(), "nothing was received");
    }

    @Test
    void aUserCertificateFromAnotherCaIsRefused() throws Exception {
        Path keys = dir.resolve("ssh");
        // Re-sign the client key with a CA sshd does not trust.
        run(SSH_KEYGEN.toString(), "-q", "-s", keys.resolve("other_ca").toString(), "-I", "intruder", "-n", "root",
                "-V", "-5m:+1h", keys.resolve("client_key.pub").toString());
        takeHourlies(Instant.parse("2026-01-01T00:00:00Z"));
        ReplicationStatus refused = replicate(transport("known_hosts"), null);
        assertEquals(ReplicationState.FAILED, refused.state());
        assertTrue(refused.lastError().contains("Permission denied"), refused.lastError());
        assertFalse(pools.tryRun("zfs list " + pools.targetDataset).ok(), "nothing was received");
    }

    private String sshdLog() {
        try {
            return Files.readString(dir.resolve("ssh/sshd.log"));
        } catch (IOException e) {
            return "(no sshd log: " + e + ")";
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + out);
    }

    /** A free loopback port in this suite's range, 27000-27999. */
    private static int freePortInRange() {
        for (int candidate = 27000 + (int) (ProcessHandle.current().pid() % 500); candidate < 28000; candidate++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port in 27000-27999");
    }

    private void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                fail("sshd exited: " + sshdLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("sshd did not listen on " + port + " within 30 s: " + sshdLog());
    }
}
