package net.goldentooth.agent.certs.messaging;

import static io.restassured.RestAssured.given;
import static net.goldentooth.agent.certs.messaging.CertificatesTestResource.CA;
import static net.goldentooth.agent.certs.messaging.CertificatesTestResource.TOKENS;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.goldentooth.agent.certs.CertificateAgent;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's certificate side against the real broker. The test plays pki-service: it reads
 * {@code cert.requested}, checks the CSR's signature (and the proof of possession of renewals),
 * and answers on {@code cert.issued} under {@code <node>|<lineage>} on the node's partition,
 * with certificates of a throwaway CA it made with BouncyCastle.
 */
@QuarkusTest
@QuarkusTestResource(value = CertificatesTestResource.class, restrictToAnnotatedClass = true)
class CertificatesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Requests already answered, so that reading cert.requested from the start finds the next one. */
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Inject
    CertificateAgent certificates;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe probe;
    private EventPublisher pki;
    private String node;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        assertTrue(certificates.awaitAssignment(WAIT), "the certificate consumers were never assigned");
        node = CertificatesTestResource.node;
        dir = CertificatesTestResource.dir;
        probe = new TopicProbe(bootstrap);
        pki = new EventPublisher(bootstrap, "//pki-service", Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        probe.close();
        pki.close();
    }

    @Test
    void aManagedCertificateIsEnrolledWrittenWithItsModesReloadedAndReported() throws Exception {
        String lineage = node + "/web";
        CertRequest request = nextRequest(lineage);
        assertEquals(CertKind.ENROLL, request.kind());
        assertTrue(TOKENS.contains(request.token()), "an enrolment token from the file: " + request.token());
        assertEquals(List.of(node, node + ".nodes.goldentooth.net"), request.names());
        assertEquals(86_400L, request.requestedLifetimeSeconds());

        X509Certificate leaf = answer(request, Duration.ofHours(24));

        CertRenewed renewed = awaitEvent(Topics.CERT_RENEWED, lineage, CertRenewed.class);
        assertEquals(NodeKeys.serial(leaf), renewed.serial());
        assertEquals(node, renewed.node());
        Path web = dir.resolve("web");
        assertEquals(List.of(leaf), NodeKeys.parseCertificates(Files.readString(web.resolve("cert.pem"))));
        assertEquals(CA.chainPem(), Files.readString(web.resolve("chain.pem")));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(web.resolve("cert.pem")));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(web.resolve("key.pem")));
        assertTrue(Files.exists(web.resolve("reloaded")), "the reload hook ran");
        try (Stream<Path> files = Files.list(web)) {
            assertEquals(Set.of("cert.pem", "chain.pem", "key.pem", "reloaded"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no temporary file is left");
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("goldentooth_agent_cert_renewals_total{lineage=\"" + lineage + "\",outcome=\"ok\"}"))
                .body(containsString("goldentooth_agent_cert_expiry_seconds{lineage=\"" + lineage + "\"}"))
                .body(containsString("goldentooth_cert_not_after_seconds{path=\"" + dir.resolve("vault/cert.pem")));
    }

    @Test
    void aRefusalIsReportedWithItsReasonThenTheCanaryRetriesAfterTheBackoffAndGetsIn() throws Exception {
        String lineage = node + "/canary";
        CertRequest first = nextRequest(lineage);
        assertEquals(CertKind.ENROLL, first.kind());
        assertEquals(List.of(node), first.names());
        assertEquals(900L, first.requestedLifetimeSeconds(), "the canary lives 15 minutes");
        pki.publish(Topics.CERT_ISSUED, partition(), NodeRouting.lineageKey(node, lineage),
                CertIssued.refused(first, RefusalReason.NAME_NOT_ALLOWED, "x.example.org is not granted to " + node,
                        Instant.now())).get();

        CertRenewalFailed failed = awaitEvent(Topics.CERT_RENEWAL_FAILED, lineage, CertRenewalFailed.class);
        assertEquals("name-not-allowed: x.example.org is not granted to " + node, failed.reason());
        assertEquals(1, failed.attempt());

        CertRequest retry = nextRequest(lineage);
        assertNotEquals(first.requestId(), retry.requestId());
        assertEquals(first.token(), retry.token(), "pki spends a token only when it issues");
        assertTrue(Duration.between(failed.at(), retry.at()).toMillis() >= 500,
                "the retry waited for the backoff (at least half of 1 s)");
        X509Certificate canary = answer(retry, Duration.ofMinutes(15));

        assertEquals(NodeKeys.serial(canary), awaitEvent(Topics.CERT_RENEWED, lineage, CertRenewed.class).serial());
        Path canaryDir = dir.resolve("state/certs/canary");
        assertEquals(List.of(canary), NodeKeys.parseCertificates(Files.readString(canaryDir.resolve("cert.pem"))));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(canaryDir.resolve("key.pem")));
    }

    /**
     * The seed's Vault incident: the renewal timer ran, new files were written, the reload was
     * "done", and Vault went on serving the old certificate until it expired unnoticed. Here the
     * endpoint never reloads, so the renewal must be reported failed with that reason.
     */
    @Test
    void vaultIncidentARenewalWhoseEndpointStillServesTheOldCertificateFails() throws Exception {
        String lineage = node + "/vault";
        X509Certificate old = CertificatesTestResource.oldVaultCertificate;
        CertRequest renewal = nextRequest(lineage);
        assertEquals(CertKind.RENEW, renewal.kind());
        assertNull(renewal.token());
        assertEquals(List.of(old), NodeKeys.parseCertificates(renewal.proof().currentCertificatePem()));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(old.getPublicKey());
        verifier.update(CertRequest.proofMaterial(renewal.requestId(), renewal.csrPem()));
        assertTrue(verifier.verify(Base64.getDecoder().decode(renewal.proof().signature())), "proof of possession");

        X509Certificate renewed = answer(renewal, Duration.ofHours(24));

        CertRenewalFailed failed = awaitEvent(Topics.CERT_RENEWAL_FAILED, lineage, CertRenewalFailed.class);
        assertEquals("probe-failed: endpoint " + CertificatesTestResource.vault.endpoint()
                + " still serves the old certificate (sha256 " + NodeKeys.fingerprint(old) + ")", failed.reason());
        assertEquals(List.of(renewed), NodeKeys.parseCertificates(Files.readString(dir.resolve("vault/cert.pem"))),
                "the files were renewed; the service was not");
        assertTrue(Files.exists(dir.resolve("vault/reloaded")), "the reload hook ran");
    }

    @Test
    void theTrustBundleIsInstalledWhereConfigured() throws Exception {
        String[] chain = CA.chainPem().split("(?<=-----END CERTIFICATE-----\n)");
        Path knownHosts = dir.resolve("trust/ssh_known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "github.com ssh-ed25519 AAAAgithub\n");
        String hostCa = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostCa" + node.replace("-", "") + " host-ca";

        pki.publish(Topics.PKI_TRUST, TrustBundle.NAME, new TrustBundle(chain[1], chain[0], hostCa,
                "ssh-ed25519 AAAAuser user-ca", null, List.of(), 1, Instant.now())).get();

        Path bundle = dir.resolve("trust/goldentooth.crt");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(Files.exists(bundle) && Files.readString(knownHosts).contains(node.replace("-", "")))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(CA.chainPem().length(), Files.readString(bundle).length());
        assertEquals(CA.root(), NodeKeys.parseCertificates(Files.readString(bundle)).get(0), "root first");
        assertEquals(List.of("github.com ssh-ed25519 AAAAgithub", "@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostCa"
                + node.replace("-", "") + " goldentooth-ssh-host-ca"), Files.readAllLines(knownHosts));
    }

    private int partition() {
        return NodeRouting.partitionFor(node, Topics.NODE_ROUTED_PARTITIONS);
    }

    /** The next unanswered request of the lineage, after checking its CSR's signature. */
    private CertRequest nextRequest(String lineage) {
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.CERT_REQUESTED, r -> {
            CertRequest request = EventCodec.decode(r.value(), CertRequest.class);
            return node.equals(r.key()) && lineage.equals(request.lineage()) && !SEEN.contains(request.requestId());
        }, WAIT);
        CertRequest request = EventCodec.decode(seen.get(seen.size() - 1).value(), CertRequest.class);
        SEEN.add(request.requestId());
        TestCa.verifiedCsr(request.csrPem());
        return request;
    }

    private X509Certificate answer(CertRequest request, Duration lifetime) throws Exception {
        Instant notBefore = Instant.now().minusSeconds(60);
        X509Certificate leaf = CA.issue(request.csrPem(), notBefore, notBefore.plus(lifetime));
        pki.publish(Topics.CERT_ISSUED, partition(), NodeRouting.lineageKey(node, request.lineage()),
                new CertIssued(request.requestId(), node, request.lineage(), request.service(), request.kind(),
                        NodeKeys.serial(leaf), NodeKeys.pem(leaf), CA.chainPem(), notBefore, notBefore.plus(lifetime),
                        null, null, Instant.now())).get();
        return leaf;
    }

    private <T> T awaitEvent(String topic, String lineage, Class<T> type) {
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(topic, r -> lineage.equals(r.key()), WAIT);
        return EventCodec.decode(seen.get(seen.size() - 1).value(), type);
    }
}
