package net.goldentooth.agent.certs.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.TestTlsServer;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor of one lineage with real files, a real reload command, a real TLS probe; this test plays pki. */
class ManagedLineageTest {

    private static final String NODE = "bettley";
    private static final String LINEAGE = "bettley/consul";

    @TempDir
    Path dir;

    private final TestCa ca = new TestCa();
    private final RecordedCertEvents events = new RecordedCertEvents();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MutableClock clock;
    private Path tokenFile;
    private Path marker;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        tokenFile = dir.resolve("enrolment-token");
        Files.writeString(tokenFile, "token-one\ntoken-two\n");
        marker = dir.resolve("reloaded");
    }

    @Test
    void enrolsWithATokenThenWritesReloadsAndReportsRenewed() throws Exception {
        ManagedLineage lineage = lineage(Optional.of("touch " + marker), Optional.empty());

        lineage.tick();

        CertRequest request = events.onlyRequest();
        assertEquals(CertKind.ENROLL, request.kind());
        assertEquals("token-one", request.token());
        assertEquals(LINEAGE, request.lineage());
        assertEquals(NODE, request.node());
        assertEquals(86_400L, request.requestedLifetimeSeconds());
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(keyPath()));
        assertEquals(NodeKeys.readKeyPair(Files.readString(keyPath())).getPublic(),
                TestCa.publicKey(TestCa.verifiedCsr(request.csrPem())), "the CSR is for the key on disk");

        X509Certificate leaf = answer(request, Duration.ofHours(24));

        assertEquals(List.of(leaf), NodeKeys.parseCertificates(Files.readString(certPath())));
        assertEquals(ca.chainPem(), Files.readString(dir.resolve("chain.pem")));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(certPath()));
        assertTrue(Files.exists(marker), "the reload hook ran");
        CertRenewed renewed = events.renewed.get(0);
        assertEquals(NodeKeys.serial(leaf), renewed.serial());
        assertEquals(leaf.getNotAfter().toInstant(), renewed.notAfter());
        assertEquals(List.of(), events.failed);
        assertEquals(1.0, registry.counter("goldentooth.agent.cert.renewals", "lineage", LINEAGE, "outcome", "ok")
                .count());
    }

    @Test
    void renewsAtTwoThirdsWithProofOfPossessionAndTheSameKey() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        X509Certificate first = answer(nextRequest(lineage), Duration.ofHours(24));

        clock.advance(Duration.ofHours(15));
        lineage.tick();
        assertTrue(events.requests.isEmpty(), "nothing before 2/3 of the lifetime");

        clock.advance(Duration.ofHours(2).plusMinutes(13));
        lineage.tick();

        CertRequest renewal = events.onlyRequest();
        assertEquals(CertKind.RENEW, renewal.kind());
        assertNull(renewal.token(), "a renewal never spends a token");
        assertFalse(renewal.rekey());
        assertEquals(List.of(first), NodeKeys.parseCertificates(renewal.proof().currentCertificatePem()));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(first.getPublicKey());
        verifier.update(renewal.proofMaterial());
        assertTrue(verifier.verify(Base64.getDecoder().decode(renewal.proof().signature())));
        assertEquals(first.getPublicKey(), TestCa.publicKey(TestCa.verifiedCsr(renewal.csrPem())));

        X509Certificate second = answer(renewal, Duration.ofHours(24));
        assertEquals(List.of(second), NodeKeys.parseCertificates(Files.readString(certPath())));
        assertEquals(2, events.renewed.size());
    }

    @Test
    void anExpiredCertificateIsStillOfferedForRenewal() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        answer(nextRequest(lineage), Duration.ofHours(24));

        clock.advance(Duration.ofDays(5));
        lineage.tick();

        assertEquals(CertKind.RENEW, events.onlyRequest().kind(), "pki's grace path decides, not the agent");
    }

    @Test
    void aCertificatePkiNoLongerRenewsLeadsToANewEnrolmentWithTheSameKey() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        answer(nextRequest(lineage), Duration.ofHours(24));
        clock.advance(Duration.ofDays(10));
        CertRequest renewal = nextRequest(lineage);
        assertEquals(CertKind.RENEW, renewal.kind());

        lineage.onIssued(CertIssued.refused(renewal, RefusalReason.EXPIRED_BEYOND_GRACE, "expired 10 days ago",
                clock.instant()));
        clock.advance(Duration.ofSeconds(5));
        CertRequest enrolment = nextRequest(lineage);

        assertEquals(CertKind.ENROLL, enrolment.kind());
        assertEquals("token-two", enrolment.token());
        assertFalse(enrolment.rekey());
        assertEquals(TestCa.publicKey(TestCa.verifiedCsr(renewal.csrPem())),
                TestCa.publicKey(TestCa.verifiedCsr(enrolment.csrPem())));
    }

    @Test
    void aRefusalIsReportedWithItsReasonAndRetriedAfterTheBackoff() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        CertRequest request = nextRequest(lineage);

        lineage.onIssued(CertIssued.refused(request, RefusalReason.CLOCK_SKEW, "offset 12 s is beyond 5 s",
                clock.instant()));

        CertRenewalFailed failed = events.failed.get(0);
        assertEquals("clock-skew: offset 12 s is beyond 5 s", failed.reason());
        assertEquals(1, failed.attempt());
        assertEquals(LINEAGE, failed.lineage());
        lineage.tick();
        assertTrue(events.requests.isEmpty(), "no retry inside the backoff");

        clock.advance(Duration.ofSeconds(5));
        lineage.tick();
        CertRequest retry = events.onlyRequest();
        assertEquals("token-one", retry.token(), "pki spends a token only when it issues");
        assertNotEquals(request.requestId(), retry.requestId());
    }

    @Test
    void aTokenPkiCallsUsedIsNotSentAgain() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        CertRequest request = nextRequest(lineage);

        lineage.onIssued(CertIssued.refused(request, RefusalReason.TOKEN_REUSED, "token already used",
                clock.instant()));
        clock.advance(Duration.ofSeconds(5));
        lineage.tick();

        assertEquals("token-two", events.onlyRequest().token());
    }

    @Test
    void answersToOtherRequestsAreIgnored() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        lineage.tick();
        CertRequest request = events.onlyRequest();
        CertRequest other = new CertRequest("someone-elses", NODE, LINEAGE, "consul", CertKind.ENROLL,
                request.csrPem(), null, "t", null, null, List.of(NODE), false, clock.instant());

        lineage.onIssued(issued(other, Duration.ofHours(1)));

        assertFalse(Files.exists(certPath()));
        assertEquals(List.of(), events.renewed);
        assertEquals(List.of(), events.failed);
    }

    @Test
    void aCertificateForAnotherKeyIsRefused() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        lineage.tick();
        CertRequest request = events.onlyRequest();
        String foreignCsr = NodeKeys.csrPem(NodeKeys.generate(), NODE, List.of(NODE));
        X509Certificate foreign = ca.issue(foreignCsr, clock.instant(), clock.instant().plusSeconds(3600));

        lineage.onIssued(new CertIssued(request.requestId(), NODE, LINEAGE, "consul", CertKind.ENROLL,
                NodeKeys.serial(foreign), NodeKeys.pem(foreign), ca.chainPem(), null, null, null, null,
                clock.instant()));

        assertFalse(Files.exists(certPath()));
        assertEquals("bad-answer: the issued certificate is not for this node's key", events.failed.get(0).reason());
    }

    @Test
    void withoutATokenEnrolmentFailsVisibly() throws Exception {
        Files.delete(tokenFile);
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());

        lineage.tick();

        assertEquals(List.of(), events.requests);
        assertTrue(events.failed.get(0).reason().startsWith("no-token: "), events.failed.get(0).reason());
    }

    @Test
    void noAnswerInTimeCountsAsAFailure() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        lineage.tick();

        clock.advance(Duration.ofSeconds(60));
        lineage.tick();

        assertTrue(events.failed.get(0).reason().startsWith("timeout: "), events.failed.get(0).reason());
        events.requests.clear();
        clock.advance(Duration.ofSeconds(5));
        lineage.tick();
        assertEquals("token-one", events.onlyRequest().token(), "an unanswered token may still be unused at pki");
    }

    /**
     * Found by e2e PoisonIT under load: pki issued an enrolment after the agent's answer timeout,
     * the agent sent the token again in a new request, pki answered token-reused, and the lineage
     * stayed without a certificate for good.
     */
    @Test
    void anEnrolmentAnsweredAfterTheTimeoutIsStillInstalledAndTheRetryRepeatsTheSameRequest() throws Exception {
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty());
        lineage.tick();
        CertRequest first = events.onlyRequest();
        clock.advance(Duration.ofSeconds(60));
        lineage.tick();
        assertTrue(events.failed.get(0).reason().startsWith("timeout: "), events.failed.get(0).reason());

        events.requests.clear();
        clock.advance(Duration.ofSeconds(5));
        lineage.tick();
        CertRequest retry = events.onlyRequest();
        assertEquals(first.requestId(), retry.requestId(), "the same request: pki answers a repeated id once");
        assertEquals(first.csrPem(), retry.csrPem());

        X509Certificate leaf = answer(first, Duration.ofHours(24));
        assertEquals(List.of(leaf), NodeKeys.parseCertificates(Files.readString(certPath())));
        assertEquals(1, events.renewed.size());
    }

    @Test
    void aFailingReloadHookIsReportedAndRetriedWithoutANewRequest() throws Exception {
        Path allowed = dir.resolve("reload-works");
        ManagedLineage lineage = lineage(Optional.of("test -e " + allowed + " || { echo 'unit not loaded' >&2; exit 5; }"),
                Optional.empty());
        answer(nextRequest(lineage), Duration.ofHours(24));

        assertEquals("reload-failed: `test -e " + allowed + " || { echo 'unit not loaded' >&2; exit 5; }` exited 5: "
                + "unit not loaded", events.failed.get(0).reason());
        Files.createFile(allowed);
        clock.advance(Duration.ofSeconds(5));
        lineage.tick();

        assertEquals(List.of(), events.requests, "the certificate is on disk: only the reload is repeated");
        assertEquals(1, events.renewed.size());
    }

    /**
     * The agent's own Kafka lineage: after the files, its Kafka clients are made again (in-process
     * reload). A client that could not be made again keeps the renewal unconfirmed: reported
     * {@code reload-failed}, retried without a new request, and {@code cert.renewed} only once every
     * client presents the new certificate.
     */
    @Test
    void anInProcessReloadRunsAfterTheFilesAndItsFailureIsRetriedWithoutANewRequest() throws Exception {
        List<String> certificatesSeen = new ArrayList<>();
        List<Optional<String>> results = new ArrayList<>(List.of(
                Optional.of("Kafka clients not made again: agent producer: records were still unacknowledged"),
                Optional.empty()));
        ManagedLineage lineage = lineage(Optional.empty(), Optional.empty()).reloadsInProcess(() -> {
            try {
                certificatesSeen.add(Files.readString(certPath()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return results.remove(0);
        });
        X509Certificate leaf = answer(nextRequest(lineage), Duration.ofHours(24));

        assertEquals(List.of(NodeKeys.pem(leaf)), certificatesSeen, "the clients are made after the new file is written");
        assertEquals("reload-failed: Kafka clients not made again: agent producer: records were still unacknowledged",
                events.failed.get(0).reason());
        assertEquals(List.of(), events.renewed);
        clock.advance(Duration.ofSeconds(5));
        lineage.tick();

        assertEquals(List.of(), events.requests, "the certificate is on disk: only the reload is repeated");
        assertEquals(2, certificatesSeen.size());
        assertEquals(1, events.renewed.size());
        assertEquals(NodeKeys.serial(leaf), events.renewed.get(0).serial());
    }

    /**
     * The seed's Vault incident: the renewal timer ran, the files were renewed, the reload
     * "succeeded", and Vault went on serving the old certificate until it expired. The probe must
     * turn that into a failed renewal.
     */
    @Test
    void vaultIncidentAnEndpointStillServingTheOldCertificateFailsTheRenewal() throws Exception {
        ManagedLineage first = lineage(Optional.empty(), Optional.empty());
        X509Certificate old = answer(nextRequest(first), Duration.ofHours(24));
        try (TestTlsServer vault = new TestTlsServer(keyPath(), certPath(), marker, false)) {
            ManagedLineage lineage = lineage(Optional.of("touch " + marker), Optional.of(vault.endpoint()));
            clock.advance(Duration.ofHours(17).plusMinutes(13));
            lineage.tick();

            answer(events.onlyRequest(), Duration.ofHours(24));

            CertRenewalFailed failed = events.failed.get(0);
            assertEquals("probe-failed: endpoint " + vault.endpoint() + " still serves the old certificate (sha256 "
                    + NodeKeys.fingerprint(old) + ")", failed.reason());
            assertEquals(1, events.renewed.size(), "only the first installation was reported renewed");
        }
    }

    @Test
    void anEndpointThatReloadsPassesTheProbe() throws Exception {
        ManagedLineage first = lineage(Optional.empty(), Optional.empty());
        answer(nextRequest(first), Duration.ofHours(24));
        try (TestTlsServer consul = new TestTlsServer(keyPath(), certPath(), marker, true)) {
            ManagedLineage lineage = lineage(Optional.of("touch " + marker), Optional.of(consul.endpoint()));
            clock.advance(Duration.ofHours(17).plusMinutes(13));
            lineage.tick();

            X509Certificate renewed = answer(events.onlyRequest(), Duration.ofHours(24));

            assertEquals(List.of(), events.failed);
            assertEquals(NodeKeys.serial(renewed), events.renewed.get(1).serial());
        }
    }

    /** Ticks once and returns the one request that tick sent, forgetting it for the next assertions. */
    private CertRequest nextRequest(ManagedLineage lineage) {
        lineage.tick();
        CertRequest request = events.onlyRequest();
        events.requests.clear();
        return request;
    }

    private X509Certificate answer(CertRequest request, Duration lifetime) {
        CertIssued issued = issued(request, lifetime);
        lineageUnderTest.onIssued(issued);
        return NodeKeys.parseCertificates(issued.certificatePem()).get(0);
    }

    private CertIssued issued(CertRequest request, Duration lifetime) {
        Instant notBefore = clock.instant().minusSeconds(60);
        X509Certificate leaf = ca.issue(request.csrPem(), notBefore, notBefore.plus(lifetime));
        return new CertIssued(request.requestId(), request.node(), request.lineage(), request.service(),
                request.kind(), NodeKeys.serial(leaf), NodeKeys.pem(leaf), ca.chainPem(), notBefore,
                notBefore.plus(lifetime), null, null, clock.instant());
    }

    private ManagedLineage lineageUnderTest;

    private ManagedLineage lineage(Optional<String> reload, Optional<String> probe) throws Exception {
        LineageSpec spec = new LineageSpec(NODE, LINEAGE, "consul", certPath(), keyPath(),
                Optional.of(dir.resolve("chain.pem")), FileSpec.mode("0640"), FileSpec.mode("0644"),
                List.of(NODE, NODE + ".nodes.goldentooth.net"), Duration.ofHours(24), reload,
                probe.map(p -> LineageSpec.Endpoint.parse(p, "probe")));
        lineageUnderTest = new ManagedLineage(spec,
                new RenewalSchedule(7, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(60)),
                new EnrolmentTokens(tokenFile, dir.resolve("spent-tokens")), events,
                new CommandRunner(Duration.ofSeconds(10)), new TlsProbe(Duration.ofSeconds(2)), Duration.ofSeconds(2),
                () -> Optional.of(ca.root()), new CertMetrics(registry, clock), clock);
        return lineageUnderTest;
    }

    private Path certPath() {
        return dir.resolve("consul/cert.pem");
    }

    private Path keyPath() {
        return dir.resolve("consul/key.pem");
    }
}
