package net.goldentooth.agent.certs.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.renewal.ManagedLineage;
import net.goldentooth.agent.certs.renewal.RecordedCertEvents;
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
 * The SSH lineages through the renewal loop, with real OpenSSH: {@code ssh-keygen} makes the host
 * key and the CAs, and plays pki by signing the requested key ({@code -s}, with {@code -h} for a
 * host certificate); {@code ssh-keygen -L} reads what the agent installed. The host certificate
 * certifies sshd's key and is installed for sshd; the root user certificate certifies a key pair
 * the agent made itself.
 */
public class SshLineageTest {

    private static final String NODE = "bettley";
    private static final DateTimeFormatter SSH_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

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
    private Path userCa;
    private Path otherCa;
    private Path marker;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        hostKey = keygen("ssh/ssh_host_ed25519_key");
        hostCa = keygen("ca/host-ca");
        userCa = keygen("ca/user-ca");
        otherCa = keygen("ca/other-ca");
        KeyPair node = NodeKeys.generate();
        X509Certificate canary = new TestCa().issue(NodeKeys.csrPem(node, NODE, List.of(NODE)),
                clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofDays(2)));
        credential = new ManagedLineage.Credential(canary, node.getPrivate());
        marker = dir.resolve("reloaded");
    }

    @Test
    void aHostCertificateIsRequestedByProofInstalledForSshdAndReloaded() throws Exception {
        SshLineage lineage = hostLineage(Optional.of(read(pub(hostCa))));
        lineage.tick();

        CertRequest request = onlyRequest();
        assertEquals(CertKind.SSH_HOST, request.kind());
        assertEquals(NODE + "/ssh-host", request.lineage());
        assertEquals("ssh-host", request.service());
        assertEquals(read(pub(hostKey)).trim(), request.sshPublicKey());
        assertProofVerifies(request);

        lineage.onIssued(answer(request, sign(hostCa, true, pub(hostKey), "-1m:+1d")));

        assertEquals(List.of(), failed);
        assertEquals(1, renewed.size());
        Path installed = hostCertificatePath();
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
    void aHostCertificateFromAnotherCaOrForAUserIsRefused() throws Exception {
        SshLineage lineage = hostLineage(Optional.of(read(pub(hostCa))));
        lineage.tick();
        lineage.onIssued(answer(onlyRequest(), sign(otherCa, true, pub(hostKey), "-1m:+1d")));
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).reason().startsWith("bad-answer: the certificate is not signed by the SSH host CA"),
                failed.get(0).reason());

        clock.advance(Duration.ofMinutes(1));
        lineage.tick();
        lineage.onIssued(answer(requests.get(1), sign(hostCa, false, pub(hostKey), "-1m:+1d")));
        assertEquals("bad-answer: the certificate is not a host certificate", failed.get(1).reason());
        assertFalse(Files.exists(hostCertificatePath()), "nothing installed");
        assertEquals(List.of(), renewed);
    }

    @Test
    void withoutAnX509CertificateToProveWithItWaitsQuietly() throws Exception {
        SshLineage lineage = new SshLineage(hostSpec(), SshKey.file(pub(hostKey)), schedule(), Optional::empty,
                Optional::empty, events, new CommandRunner(Duration.ofSeconds(10)),
                new CertMetrics(new SimpleMeterRegistry(), clock), clock);
        lineage.tick();
        assertEquals(List.of(), requests);
        assertEquals(List.of(), failed);
    }

    @Test
    void theRootUserCertificateCertifiesTheAgentsOwnKeyWrittenBesideIt() throws Exception {
        Path key = dir.resolve("state/ssh/root_ed25519");
        SshLineage lineage = rootLineage(key, Optional.of(read(pub(userCa))));
        assertFalse(Files.exists(key), "no key before it is needed");
        lineage.tick();

        CertRequest request = onlyRequest();
        assertEquals(CertKind.SSH_USER, request.kind());
        assertEquals(NODE + "/ssh-root", request.lineage());
        assertEquals("ssh-root", request.service());
        assertEquals(read(pub(key)).trim(), request.sshPublicKey());
        assertTrue(request.sshPublicKey().startsWith("ssh-ed25519 "), request.sshPublicKey());
        assertFalse(request.toString().contains("PRIVATE"), "only the public key is sent");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        assertProofVerifies(request);

        lineage.onIssued(answer(request, sign(userCa, false, pub(key), validity(clock.instant(), Duration.ofHours(24)))));

        assertEquals(List.of(), failed);
        assertEquals(1, renewed.size());
        assertEquals(NODE + "/ssh-root", renewed.get(0).lineage());
        Path certificate = dir.resolve("state/ssh/root_ed25519-cert.pub");
        String shown = run("ssh-keygen", "-L", "-f", certificate.toString());
        assertTrue(shown.contains("user certificate"), shown);
        assertTrue(shown.contains("\n                " + NODE + "-root\n"), shown);
        assertEquals(clock.instant().plus(Duration.ofHours(24)), lineage.notAfter());
        assertFalse(Files.exists(dir.resolve("sshd_config.d")), "no sshd drop-in for a user certificate");
    }

    @Test
    void theRootCertificateIsRenewedAtTwoThirdsOfItsLifetimePlusTheJitterOnTheSameKey() throws Exception {
        Path key = dir.resolve("state/ssh/root_ed25519");
        SshLineage lineage = rootLineage(key, Optional.empty());
        lineage.tick();
        Instant issuedAt = clock.instant();
        lineage.onIssued(answer(onlyRequest(), sign(userCa, false, pub(key), validity(issuedAt, Duration.ofHours(24)))));
        assertEquals(1, renewed.size());

        Instant due = schedule().next(NODE + "/ssh-root", new RenewalSchedule.LineageView(issuedAt,
                issuedAt.plus(Duration.ofHours(24)), true, null, 0, null, false, false), issuedAt).at();
        assertFalse(due.isBefore(issuedAt.plus(Duration.ofHours(16))), due.toString());
        assertTrue(due.isBefore(issuedAt.plus(Duration.ofHours(16)).plus(Duration.ofMinutes(72))), due.toString());

        clock.set(due.minusSeconds(1));
        lineage.tick();
        assertEquals(1, requests.size(), "not before 2/3 of the lifetime plus the jitter");
        clock.set(due);
        lineage.tick();
        assertEquals(2, requests.size(), "renewed at 2/3 of the lifetime plus the jitter");
        assertEquals(requests.get(0).sshPublicKey(), requests.get(1).sshPublicKey(), "the same key, kept");
        assertEquals(CertKind.SSH_USER, requests.get(1).kind());
    }

    @Test
    void aRootCertificateThatIsAHostCertificateOrFromTheHostCaIsRefused() throws Exception {
        Path key = dir.resolve("state/ssh/root_ed25519");
        SshLineage lineage = rootLineage(key, Optional.of(read(pub(userCa))));
        lineage.tick();
        lineage.onIssued(answer(onlyRequest(), sign(userCa, true, pub(key), "-1m:+1d")));
        assertEquals("bad-answer: the certificate is not a user certificate", failed.get(0).reason());

        clock.advance(Duration.ofMinutes(1));
        lineage.tick();
        lineage.onIssued(answer(requests.get(1), sign(hostCa, false, pub(key), "-1m:+1d")));
        assertTrue(failed.get(1).reason().startsWith("bad-answer: the certificate is not signed by the SSH user CA"),
                failed.get(1).reason());

        clock.advance(Duration.ofMinutes(1));
        lineage.tick();
        lineage.onIssued(answer(requests.get(2), sign(userCa, false, pub(hostKey), "-1m:+1d")));
        assertEquals("bad-answer: the certificate is not for the key " + key, failed.get(2).reason());
        assertFalse(Files.exists(dir.resolve("state/ssh/root_ed25519-cert.pub")), "nothing installed");
    }

    private void assertProofVerifies(CertRequest request) throws Exception {
        Signature proof = Signature.getInstance("SHA256withECDSA");
        proof.initVerify(credential.certificate().getPublicKey());
        proof.update(request.proofMaterial());
        assertTrue(proof.verify(Base64.getDecoder().decode(request.proof().signature())), "proof of possession");
    }

    private SshLineage hostLineage(Optional<String> trustedHostCa) {
        return new SshLineage(hostSpec(), SshKey.file(pub(hostKey)), schedule(), () -> Optional.of(credential),
                () -> trustedHostCa, events, new CommandRunner(Duration.ofSeconds(10)),
                new CertMetrics(new SimpleMeterRegistry(), clock), clock);
    }

    private SshLineage rootLineage(Path key, Optional<String> trustedUserCa) {
        SshCertificateSpec spec = new SshCertificateSpec(NODE, NODE + "/ssh-root", CertKind.SSH_USER,
                SshCertificateSpec.defaultCertificatePath(key), Duration.ofHours(24), Optional.empty(), Optional.empty());
        return new SshLineage(spec, new GeneratedSshKey(key, "root@" + NODE, new SecureRandom()), schedule(),
                () -> Optional.of(credential), () -> trustedUserCa, events, new CommandRunner(Duration.ofSeconds(10)),
                new CertMetrics(new SimpleMeterRegistry(), clock), clock);
    }

    private SshCertificateSpec hostSpec() {
        return new SshCertificateSpec(NODE, NODE + "/ssh-host", CertKind.SSH_HOST, hostCertificatePath(),
                Duration.ofHours(24), Optional.of(dir.resolve("sshd_config.d/goldentooth.conf")),
                Optional.of("touch " + marker));
    }

    private Path hostCertificatePath() {
        return SshCertificateSpec.defaultCertificatePath(pub(hostKey));
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

    /** ssh-keygen's absolute validity interval, in UTC. */
    private static String validity(Instant from, Duration lifetime) {
        return SSH_TIME.format(from) + "Z:" + SSH_TIME.format(from.plus(lifetime)) + "Z";
    }

    /** What pki does: {@code publicKey} signed by a CA, as a host (-h) or user certificate. */
    private String sign(Path ca, boolean host, Path publicKey, String validity) throws Exception {
        Path copy = dir.resolve("signing/" + java.util.UUID.randomUUID() + ".pub");
        Files.createDirectories(copy.getParent());
        Files.copy(publicKey, copy);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-I", "test"));
        if (host) {
            command.add("-h");
        }
        String principals = host ? NODE + "," + NODE + ".nodes.goldentooth.net" : "root," + NODE + "-root";
        command.addAll(List.of("-n", principals, "-V", validity, copy.toString()));
        run(command.toArray(String[]::new));
        return read(SshCertificateSpec.defaultCertificatePath(copy));
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
    public static String run(String... command) throws Exception {
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
