package net.goldentooth.provisioner.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.provisioner.jobs.Concurrency;
import net.goldentooth.provisioner.jobs.EngineListener;
import net.goldentooth.provisioner.jobs.EngineSettings;
import net.goldentooth.provisioner.jobs.JobEngine;
import net.goldentooth.provisioner.jobs.JobPlan;
import net.goldentooth.testkit.OpenSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH executor against a real OpenSSH sshd on loopback (port 20001), folded by the real
 * {@link JobEngine} exactly as the provisioner folds {@code job.progress}: every outcome below is a
 * target state with its reason, and none of them hangs.
 */
class SshExecutorIT {

    static final int PORT = 20001;
    /** Nothing listens here: connection refused. */
    static final int CLOSED_PORT = 20099;

    @TempDir
    static Path dir;
    static OpenSshd.Credentials credentials;
    static OpenSshd sshd;
    /** Presents a host certificate signed by {@link #hostCa}. */
    static final int CERTIFIED_HOST_PORT = 20002;
    static Path hostCa;
    static OpenSshd certifiedHost;

    @BeforeAll
    static void startSshd() {
        credentials = OpenSshd.Credentials.create(dir.resolve("client"));
        sshd = OpenSshd.start(PORT, dir.resolve("sshd"), credentials);
        hostCa = OpenSshd.certificateAuthority(dir.resolve("host-ca/host_ca"));
        certifiedHost = OpenSshd.start(CERTIFIED_HOST_PORT, dir.resolve("sshd-certified"), credentials, hostCa);
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
        if (certifiedHost != null) {
            certifiedHost.close();
        }
    }

    @Test
    void commandOutputAndExitCodesOverKeyAuthentication() throws Exception {
        Path knownHosts = knownHosts(sshd.knownHostsLine());
        TargetStatus ok = run(credentials.plainKey(), knownHosts, target(PORT, false),
                "echo out-line; echo err-line >&2", null, 30);
        assertEquals(TargetState.SUCCEEDED, ok.state(), ok.toString());
        assertEquals("ssh", ok.via());
        assertEquals(0, ok.exitCode());
        assertEquals("out-line\n", ok.stdout());
        assertEquals("err-line\n", ok.stderr());

        TargetStatus failed = run(credentials.plainKey(), knownHosts, target(PORT, false), "exit 7", null, 30);
        assertEquals(TargetState.FAILED, failed.state(), failed.toString());
        assertEquals(7, failed.exitCode());
        assertEquals("exit code 7", failed.reason());

        TargetStatus stdin = run(credentials.plainKey(), knownHosts, target(PORT, false), "tr a-z A-Z",
                "piped through\n", 30);
        assertEquals("PIPED THROUGH\n", stdin.stdout());
    }

    @Test
    void certificateAuthenticationWithAKeyThatIsNotInAuthorizedKeys() throws Exception {
        assertTrue(Files.exists(credentials.certificate()));
        TargetStatus ok = run(credentials.certifiedKey(), knownHosts(sshd.knownHostsLine()), target(PORT, false),
                "id -un", null, 30);
        assertEquals(TargetState.SUCCEEDED, ok.state(), ok.toString());
        assertEquals("root\n", ok.stdout());
    }

    @Test
    void aCommandPastItsTimeoutIsTimedOut() throws Exception {
        TargetStatus slow = run(credentials.plainKey(), knownHosts(sshd.knownHostsLine()), target(PORT, false),
                "echo started; sleep 60", null, 1);
        assertEquals(TargetState.TIMED_OUT, slow.state(), slow.toString());
        assertEquals("started\n", slow.stdout());
    }

    @Test
    void unknownHostIsRefusedUnlessTheInventoryAllowsFirstContact() throws Exception {
        Path knownHosts = knownHosts();
        TargetStatus refused = run(credentials.plainKey(), knownHosts, target(PORT, false), "true", null, 30);
        assertEquals(TargetState.REJECTED, refused.state(), refused.toString());
        assertTrue(refused.reason().contains("not in known_hosts"), refused.reason());
        assertTrue(refused.reason().contains(SshTarget.FIRST_CONTACT_VAR), refused.reason());
        assertNull(refused.exitCode());

        TargetStatus trusted = run(credentials.plainKey(), knownHosts, target(PORT, true), "true", null, 30);
        assertEquals(TargetState.SUCCEEDED, trusted.state(), trusted.toString());
        String written = Files.readString(knownHosts);
        assertTrue(written.contains("[127.0.0.1]:" + PORT + " ssh-ed25519 " + sshd.hostPublicKey().split(" ")[1]),
                written);
        // Once known, the host is verified against the stored key even without first-contact trust.
        TargetStatus known = run(credentials.plainKey(), knownHosts, target(PORT, false), "true", null, 30);
        assertEquals(TargetState.SUCCEEDED, known.state(), known.toString());
    }

    @Test
    void aHostCertificateIsTrustedThroughACertAuthorityLineAndOnlyFromThatCa() throws Exception {
        String caKey = Files.readString(Path.of(hostCa + ".pub")).strip();
        Path trusting = knownHosts("@cert-authority [127.0.0.1]:" + CERTIFIED_HOST_PORT + " " + caKey);
        TargetStatus ok = run(credentials.plainKey(), trusting, target(CERTIFIED_HOST_PORT, false), "echo certified",
                null, 30);
        assertEquals(TargetState.SUCCEEDED, ok.state(), ok.toString());
        assertEquals("certified\n", ok.stdout());

        Path otherCa = OpenSshd.certificateAuthority(dir.resolve("other-ca/host_ca"));
        Path distrusting = knownHosts("@cert-authority [127.0.0.1]:" + CERTIFIED_HOST_PORT + " "
                + Files.readString(Path.of(otherCa + ".pub")).strip());
        TargetStatus refused = run(credentials.plainKey(), distrusting, target(CERTIFIED_HOST_PORT, false), "true",
                null, 30);
        assertEquals(TargetState.REJECTED, refused.state(), refused.toString());
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWithFirstContactTrust() throws Exception {
        String otherKey = Files.readString(Path.of(credentials.strangerKey() + ".pub")).split(" ")[1];
        Path knownHosts = knownHosts("[127.0.0.1]:" + PORT + " ssh-ed25519 " + otherKey);
        TargetStatus refused = run(credentials.plainKey(), knownHosts, target(PORT, true), "true", null, 30);
        assertEquals(TargetState.REJECTED, refused.state(), refused.toString());
        assertTrue(refused.reason().contains("has changed"), refused.reason());
    }

    @Test
    void wrongCredentialsAreRejectedWithTheReason() throws Exception {
        TargetStatus refused = run(credentials.strangerKey(), knownHosts(sshd.knownHostsLine()), target(PORT, false),
                "true", null, 30);
        assertEquals(TargetState.REJECTED, refused.state(), refused.toString());
        assertTrue(refused.reason().contains("authentication as root"), refused.reason());
        assertTrue(refused.reason().contains("refused key id_stranger"), refused.reason());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        TargetStatus down = run(credentials.plainKey(), knownHosts(), target(CLOSED_PORT, false), "true", null, 30);
        assertEquals(TargetState.UNREACHABLE, down.state(), down.toString());
        assertTrue(down.reason().contains("connection refused"), down.reason());
    }

    @Test
    void aNodeOutsideTheInventoryIsUnreachable() throws Exception {
        TargetStatus none = runWith(credentials.plainKey(), knownHosts(), node -> Optional.empty(), "true", null, 30);
        assertEquals(TargetState.UNREACHABLE, none.state(), none.toString());
        assertTrue(none.reason().contains("not in the inventory"), none.reason());
    }

    private static SshTarget target(int port, boolean firstContact) {
        return new SshTarget("node-a", "127.0.0.1", port, "root", firstContact);
    }

    private static final AtomicInteger FILES = new AtomicInteger();

    private static Path knownHosts(String... lines) throws Exception {
        Path file = dir.resolve("known_hosts-" + FILES.incrementAndGet());
        Files.writeString(file, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
        return file;
    }

    private static TargetStatus run(Path identity, Path knownHosts, SshTarget target, String command, String stdin,
                                    int timeoutSeconds) throws Exception {
        return runWith(identity, knownHosts, node -> Optional.of(target), command, stdin, timeoutSeconds);
    }

    /** One single-target job through the real engine and executor; returns the target's final status. */
    private static TargetStatus runWith(Path identity, Path knownHosts,
                                        java.util.function.Function<String, Optional<SshTarget>> targets,
                                        String command, String stdin, int timeoutSeconds) throws Exception {
        Clock clock = Clock.systemUTC();
        AtomicInteger ids = new AtomicInteger();
        EngineSettings settings = new EngineSettings(Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 1 << 20, Duration.ofMillis(100));
        JobEngine engine = new JobEngine(settings, clock, () -> "id-" + ids.incrementAndGet(), new EngineListener() {
        });
        JobRequest request = new JobRequest(null, JobKind.COMMAND, "node-a", command, stdin, timeoutSeconds, null, true,
                "test");
        JobEngine.Submission submission = engine.start(new JobPlan(request, List.of("node-a"),
                Duration.ofSeconds(timeoutSeconds), Concurrency.UNLIMITED));
        SshConnector connector = new SshConnector(identity, knownHosts, Duration.ofSeconds(3), Duration.ofSeconds(5));
        try (SshExecutor executor = new SshExecutor(new SshPool(connector, 4, Duration.ofSeconds(30), clock), targets,
                engine::fold, clock, 4)) {
            engine.routedOverSsh(submission.tasks());
            submission.tasks().forEach(t -> executor.submit(t, executor.commands()));
            String jobId = submission.status().jobId();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds + 30).toNanos();
            while (System.nanoTime() < deadline) {
                JobStatus status = engine.status(jobId).orElseThrow();
                if (status.state().terminal()) {
                    return status.targets().get("node-a");
                }
                Thread.sleep(20);
            }
            throw new AssertionError("job did not end: " + engine.status(jobId));
        }
    }
}
