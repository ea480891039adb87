package net.goldentooth.agent.certs.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.renewal.RecordedCertEvents;
import net.goldentooth.agent.certs.renewal.ManagedLineage;
import net.goldentooth.agent.certs.renewal.RenewalSchedule;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH host certificate through the renewal loop, with real OpenSSH keys: {@code ssh-keygen}
 * makes the host key and the CA, and plays pki by signing the requested key with {@code -s -h};
 * {@code ssh-keygen -L} reads what the agent installed.
 */
class SshHostLineageTest {

    private static final String NODE = "bettley";

    @TempDir
    Path dir;

    private final RecordedCertEvents events = new RecordedCertEvents();
    private final List<CertRequest> requests = events.requests;
    private final List<CertRenewed> renewed = events.renewed;
    private final List<CertRenewalFailed> failed = events.failed;
    private MutableClock clock;
    private ManagedLineage.Credential credential;
    private Path hostKey;
    private Path hostCa;
    private Path otherCa;
    private Path marker;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        hostKey = keygen("ssh/ssh_host_ed25519_key");
        hostCa = keygen("ca/host-ca");
        otherCa = keygen("ca/other-ca");
        KeyPair node = NodeKeys.generate();
        X509Certificate canary = new TestCa().issue(NodeKeys.csrPem(node, NODE, List.of(NODE)),
                clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofMinutes(15)));
        credential = new ManagedLineage.Credential(canary, node.getPrivate());
        marker = dir.resolve("reloaded");
    }

    @Test
    void aHostCertificateIsRequestedByProofInstalledForSshdAndReloaded() throws Exception {
        SshHostLineage lineage = lineage(Optional.of(read(hostCa.resolveSibling("host-ca.pub"))));
        lineage.tick();

        CertRequest request = onlyRequest();
        assertEquals(CertKind.SSH_HOST, request.kind());
        assertEquals(NODE + "/ssh-host", request.lineage());
        assertEquals(read(pub(hostKey)).trim(), request.sshPublicKey());
        Signature proof = Signature.getInstance("SHA256withECDSA");
        proof.initVerify(credential.certificate().getPublicKey());
        proof.update(request.proofMaterial());
        assertTrue(proof.verify(Base64.getDecoder().decode(request.proof().signature())), "proof of possession");

        lineage.onIssued(answer(request, sign(hostCa, true)));

        assertEquals(List.of(), failed);
        assertEquals(1, renewed.size());
        Path installed = certificatePath();
        String shown = run("ssh-keygen", "-L", "-f", installed.toString());
        assertTrue(shown.contains("host certificate"), shown);
        assertTrue(shown.contains(NODE + ".nodes.goldentooth.net"), shown);
        assertEquals("# Written by the goldentooth node agent: the host certificate from pki-service, renewed daily.\n"
                + "HostCertificate " + installed + "\n", Files.readString(dir.resolve("sshd_config.d/goldentooth.conf")));
        assertTrue(Files.exists(marker), "the reload command ran");
        assertNotNull(lineage.notAfter());

        lineage.tick();
        assertEquals(1, requests.size(), "nothing more to do until 2/3 of the lifetime");
        // 2/3 of the 24 h lifetime (16 h) plus a jitter below 1/20 of it (72 min); ssh-keygen's
        // validity starts from the real clock, so the jitter differs from run to run.
        clock.advance(Duration.ofHours(17).plusMinutes(15));
        lineage.tick();
        assertEquals(2, requests.size(), "renewed at 2/3 of the lifetime plus jitter");
    }

    @Test
    void aCertificateFromAnotherCaOrForAUserIsRefused() throws Exception {
        SshHostLineage lineage = lineage(Optional.of(read(hostCa.resolveSibling("host-ca.pub"))));
        lineage.tick();
        lineage.onIssued(answer(onlyRequest(), sign(otherCa, true)));
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).reason().startsWith("bad-answer: the certificate is not signed by the SSH host CA"),
                failed.get(0).reason());

        clock.advance(Duration.ofMinutes(1));
        lineage.tick();
        lineage.onIssued(answer(requests.get(1), sign(hostCa, false)));
        assertEquals("bad-answer: the certificate is not a host certificate", failed.get(1).reason());
        assertFalse(Files.exists(certificatePath()), "nothing installed");
        assertEquals(List.of(), renewed);
    }

    @Test
    void withoutAnX509CertificateToProveWithItWaitsQuietly() throws Exception {
        SshHostLineage lineage = new SshHostLineage(spec(), schedule(), Optional::empty, Optional::empty, events,
                new CommandRunner(Duration.ofSeconds(10)), new CertMetrics(new SimpleMeterRegistry(), clock), clock);
        lineage.tick();
        assertEquals(List.of(), requests);
        assertEquals(List.of(), failed);
    }

    private SshHostLineage lineage(Optional<String> trustedHostCa) {
        return new SshHostLineage(spec(), schedule(), () -> Optional.of(credential), () -> trustedHostCa, events,
                new CommandRunner(Duration.ofSeconds(10)), new CertMetrics(new SimpleMeterRegistry(), clock), clock);
    }

    private SshHostSpec spec() {
        return new SshHostSpec(NODE, NODE + "/ssh-host", pub(hostKey), certificatePath(),
                dir.resolve("sshd_config.d/goldentooth.conf"), Duration.ofHours(24),
                Optional.of("touch " + marker));
    }

    private Path certificatePath() {
        return SshHostSpec.defaultCertificatePath(pub(hostKey));
    }

    private static RenewalSchedule schedule() {
        return new RenewalSchedule(7, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(60));
    }

    private CertRequest onlyRequest() {
        return events.onlyRequest();
    }

    private static CertIssued answer(CertRequest request, String sshCertificate) {
        return new CertIssued(request.requestId(), NODE, request.lineage(), request.service(), request.kind(), "1", null,
                null, Instant.now(), Instant.now().plus(Duration.ofHours(24)), sshCertificate, null, Instant.now());
    }

    /** What pki does: the requested host key signed by a CA, as a host (-h) or user certificate. */
    private String sign(Path ca, boolean host) throws Exception {
        Path copy = dir.resolve("signing/" + (host ? "h" : "u") + ca.getFileName() + ".pub");
        Files.createDirectories(copy.getParent());
        Files.copy(pub(hostKey), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-I", NODE + "/ssh-host"));
        if (host) {
            command.add("-h");
        }
        command.addAll(List.of("-n", NODE + "," + NODE + ".nodes.goldentooth.net", "-V", "-1m:+1d", copy.toString()));
        run(command.toArray(String[]::new));
        return read(SshHostSpec.defaultCertificatePath(copy));
    }

    private Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        Files.createDirectories(key.getParent());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        return key;
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    /** Runs an OpenSSH tool; a missing one fails naming the Debian package. */
    private static String run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(command[0] + " is missing: install Debian's openssh-client", e);
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
