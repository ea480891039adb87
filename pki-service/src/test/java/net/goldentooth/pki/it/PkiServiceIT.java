package net.goldentooth.pki.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import net.goldentooth.testkit.RestErrorShape;

/**
 * pki-service against the real broker: requests on {@code cert.requested}, answers node-routed on
 * {@code cert.issued}, the trust bundle, expiry alerts, revocation and the REST API. The service's
 * clock is {@link SettableClock}; the grace-path test steps it days forward, so it runs last.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PkiTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PkiServiceIT {

    private static TopicProbe probe;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void probe() {
        probe = new TopicProbe(KafkaBroker.shared().bootstrapServers());
    }

    @AfterAll
    static void close() {
        probe.close();
    }

    @Test
    @Order(1)
    void firstStartInitialisesTheCaAndPublishesTheTrustBundle() {
        given().get("/ca").then().statusCode(200).body("initialised", equalTo(true))
                .body("rootSubject", containsString("Goldentooth Root CA"))
                .body("sshHostCaFingerprint", containsString("SHA256:"));
        given().post("/ca/init").then().statusCode(200).body("initialised", equalTo(true));
        TrustBundle bundle = trustBundle(b -> b.taskSigningPublicKeyPem() != null);
        assertTrue(bundle.sshHostCaPublicKey().startsWith("ssh-ed25519 "), bundle.sshHostCaPublicKey());
        assertTrue(bundle.sshUserCaPublicKey().startsWith("ssh-ed25519 "), bundle.sshUserCaPublicKey());
        assertTrue(bundle.rootPem().contains("BEGIN CERTIFICATE"));
    }

    @Test
    @Order(2)
    void enrolmentIsAnsweredNodeRoutedAndChainsToTheBundleRoot() throws Exception {
        KeyPair keys = TestKeys.ecKeyPair();
        CertRequest request = enroll("alpha", "web", keys, List.of("alpha", "web.service.consul", "10.9.0.1"));
        ConsumerRecord<String, byte[]> record = send(request);
        assertEquals("alpha|alpha/web", record.key());
        assertEquals(NodeRouting.partitionFor("alpha", Topics.NODE_ROUTED_PARTITIONS), record.partition());
        CertIssued issued = EventCodec.decode(record.value(), CertIssued.class);
        assertNull(issued.refusal(), () -> issued.refusal().message());
        TrustBundle bundle = trustBundle(b -> true);
        X509Certificate leaf = Pem.certificate(issued.certificatePem());
        leaf.verify(Pem.certificate(bundle.intermediatePem()).getPublicKey());
        Pem.certificate(bundle.intermediatePem()).verify(Pem.certificate(bundle.rootPem()).getPublicKey());
        given().get("/certs").then().statusCode(200)
                .body("find { it.lineage == 'alpha/web' }.serial", equalTo(issued.serial()))
                .body("find { it.lineage == 'alpha/web' }.status", equalTo("valid"));

        // An SSH host certificate for alpha, authorised by the TLS certificate just issued.
        String hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGd5bXV1c2VyS2V5Rm9yVGVzdHNPbmx5MTIzNDU2Nzg5MA== alpha";
        String requestId = UUID.randomUUID().toString();
        CertRequest ssh = new CertRequest(requestId, "alpha", "alpha/ssh-host", "sshd", CertKind.SSH_HOST, null, hostKey,
                null, new CertRequest.Proof(issued.certificatePem(), TestKeys.sign(keys.getPrivate(),
                CertRequest.proofMaterial(requestId, hostKey))), null, List.of(), false, SettableClock.CLOCK.instant());
        ConsumerRecord<String, byte[]> sshRecord = send(ssh);
        assertEquals("alpha|alpha/ssh-host", sshRecord.key());
        CertIssued sshIssued = EventCodec.decode(sshRecord.value(), CertIssued.class);
        assertNull(sshIssued.refusal(), () -> sshIssued.refusal().message());
        assertTrue(sshIssued.sshCertificate().startsWith("ssh-ed25519-cert-v01@openssh.com "), sshIssued.sshCertificate());
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithItsReasonPoisonIsDeadLetteredAndServiceKeepsServing() {
        KeyPair keys = TestKeys.ecKeyPair();
        String csr = TestKeys.csr(keys, "beta", List.of("beta"));
        assertRefused(send(request("beta", "garbage", "not a csr", token("beta"), null)), RefusalReason.BAD_REQUEST);
        assertRefused(send(request("beta", "forged", TestKeys.flipSignatureByte(csr), token("beta"), null)),
                RefusalReason.BAD_REQUEST);
        assertRefused(send(request("beta", "names", TestKeys.csr(keys, "beta", List.of("web.service.consul")),
                token("beta"), null)), RefusalReason.NAME_NOT_ALLOWED);
        assertRefused(send(request("beta", "long", csr, token("beta"), 30L * 86400)), RefusalReason.LIFETIME_TOO_LONG);
        String once = token("beta");
        assertNull(EventCodec.decode(send(request("beta", "once", csr, once, null)).value(), CertIssued.class).refusal());
        assertRefused(send(request("beta", "replay", csr, once, null)), RefusalReason.TOKEN_REUSED);

        String poisonKey = "poison-" + UUID.randomUUID();
        probe.sendRaw(Topics.CERT_REQUESTED, poisonKey, "{not json");
        probe.awaitRecord(Topics.deadLetterOf(Topics.CERT_REQUESTED), r -> poisonKey.equals(r.key()), WAIT);
        assertNull(EventCodec.decode(send(request("beta", "after-poison", csr, token("beta"), null)).value(),
                CertIssued.class).refusal());
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(4)
    void aNodeReportingClockSkewIsRefusedWithThatReason() {
        java.time.Instant at = SettableClock.CLOCK.instant();
        probe.send(Topics.NODE_FACTS, "skewy", new NodeFacts("skewy", at, 1, "test", null, null, null, null, null, null,
                NodeFacts.Section.fresh(new NodeFacts.TimeSync(false, 691200.0, "none"), at), null, null, null));
        KeyPair keys = TestKeys.ecKeyPair();
        long deadline = System.nanoTime() + WAIT.toNanos();
        CertIssued answer;
        do { // the facts consumer and the request consumer are independent: retry until the facts are seen
            answer = EventCodec.decode(send(request("skewy", "web", TestKeys.csr(keys, "skewy", List.of()),
                    token("skewy"), null)).value(), CertIssued.class);
        } while (answer.refusal() == null && System.nanoTime() < deadline);
        assertNotNull(answer.refusal());
        assertEquals(RefusalReason.CLOCK_SKEW, answer.refusal().reason(), answer.refusal().message());
    }

    @Test
    @Order(5)
    void revocationIsListedInTheBundleAndCrlAndStopsRenewal() {
        KeyPair keys = TestKeys.ecKeyPair();
        String csr = TestKeys.csr(keys, "gamma", List.of());
        CertIssued issued = EventCodec.decode(send(request("gamma", "db", csr, token("gamma"), null)).value(),
                CertIssued.class);
        assertNull(issued.refusal());
        given().post("/lineages/gamma/db/revoke").then().statusCode(200).body("newlyRevoked", equalTo(true))
                .body("revokedLineages", hasItem("gamma/db"));
        trustBundle(b -> b.revokedLineages().contains("gamma/db"));
        String crl = given().get("/crl").then().statusCode(200).extract().asString();
        assertTrue(crl.contains("BEGIN X509 CRL"), crl);
        assertRefused(send(renewal("gamma", "db", csr, issued.certificatePem(), keys)), RefusalReason.REVOKED);
        given().get("/certs").then().body("find { it.lineage == 'gamma/db' }.status", equalTo("revoked"));
        given().post("/lineages/not a lineage/revoke").then().statusCode(400)
                .body("error", containsString("not a lineage"));
    }

    @Test
    @Order(6)
    void aNodeOfflineFiveDaysCatchesUpTenDaysIsRefusedAndAlerted() {
        KeyPair keys = TestKeys.ecKeyPair();
        String csr = TestKeys.csr(keys, "alpha", List.of());
        CertIssued first = EventCodec.decode(send(request("alpha", "canary", csr, token("alpha"), null)).value(),
                CertIssued.class);
        assertNull(first.refusal());

        SettableClock.CLOCK.advance(Duration.ofDays(5));
        CertIssued caughtUp = EventCodec.decode(send(renewal("alpha", "canary", csr, first.certificatePem(), keys)).value(),
                CertIssued.class);
        assertNull(caughtUp.refusal(), () -> caughtUp.refusal().message());

        SettableClock.CLOCK.advance(Duration.ofDays(10));
        CertIssued refused = EventCodec.decode(send(renewal("alpha", "canary", csr, caughtUp.certificatePem(), keys)).value(),
                CertIssued.class);
        assertNotNull(refused.refusal());
        assertEquals(RefusalReason.EXPIRED_BEYOND_GRACE, refused.refusal().reason(), refused.refusal().message());

        ConsumerRecord<String, byte[]> alert = probe.awaitRecord(Topics.CERT_EXPIRING, r -> "alpha/canary".equals(r.key())
                && EventCodec.decode(r.value(), CertExpiring.class).notAfter().equals(caughtUp.notAfter()), WAIT)
                .stream().reduce((a, b) -> b).orElseThrow();
        assertEquals(ExpiryTier.CRITICAL, EventCodec.decode(alert.value(), CertExpiring.class).tier());
        given().get("/certs").then().body("find { it.lineage == 'alpha/canary' }.status", equalTo("expired"))
                .body("find { it.lineage == 'alpha/canary' }.lastRefusal", containsString("expired-beyond-grace"));
    }

    /**
     * The seed's kubeadm certificates expired and took the API server down (seed lines 9863-9892):
     * a certificate an agent finds on disk that this CA did not issue is alerted on and listed, the
     * agent's own managed ones are not (they are lineages already), and one no longer reported leaves.
     */
    @Test
    @Order(7)
    void certificatesAgentsFindOnDiskAreWatchedForExpiry() {
        java.time.Instant now = SettableClock.CLOCK.instant();
        String path = "/etc/kubernetes/pki/apiserver.crt";
        String lineage = "kubey/file:" + path;
        NodeFacts.FoundCertificate kubeadm = new NodeFacts.FoundCertificate(path, "CN=kube-apiserver", "CN=kubernetes",
                "5f3a9c01d2", now.minus(Duration.ofDays(360)), now.plus(Duration.ofDays(5)), "ab", false);
        NodeFacts.FoundCertificate managed = new NodeFacts.FoundCertificate("/etc/consul.d/tls/consul.pem",
                "CN=kubey", "CN=goldentooth intermediate", "77", now, now.plus(Duration.ofHours(1)), "cd", true);
        probe.send(Topics.NODE_FACTS, "kubey", facts("kubey", now, List.of(kubeadm, managed)));

        ConsumerRecord<String, byte[]> alert = probe.awaitRecord(Topics.CERT_EXPIRING, r -> lineage.equals(r.key()), WAIT)
                .stream().reduce((a, b) -> b).orElseThrow();
        CertExpiring expiring = EventCodec.decode(alert.value(), CertExpiring.class);
        assertEquals(ExpiryTier.CRITICAL, expiring.tier());
        assertEquals("kubey", expiring.node());
        assertEquals("file", expiring.service());
        given().get("/certs").then().body("find { it.lineage == '" + lineage + "' }.status", equalTo("critical"))
                .body("findAll { it.node == 'kubey' }.size()", equalTo(1));

        probe.send(Topics.NODE_FACTS, "kubey", facts("kubey", now, List.of()));
        long deadline = System.nanoTime() + WAIT.toNanos();
        int listed;
        do {
            listed = given().get("/certs").then().extract().path("findAll { it.node == 'kubey' }.size()");
        } while (listed > 0 && System.nanoTime() < deadline);
        assertEquals(0, listed, "a certificate no longer reported is no longer watched");
    }

    private static NodeFacts facts(String node, java.time.Instant at, List<NodeFacts.FoundCertificate> found) {
        return new NodeFacts(node, at, 1, "test", null, null, null, null, null, null, null, null, null,
                NodeFacts.Section.fresh(found, at));
    }

    private static void assertRefused(ConsumerRecord<String, byte[]> record, RefusalReason reason) {
        CertIssued answer = EventCodec.decode(record.value(), CertIssued.class);
        assertNotNull(answer.refusal(), "expected " + reason.wire() + " but a certificate was issued");
        assertEquals(reason, answer.refusal().reason(), answer.refusal().message());
        assertNull(answer.certificatePem());
    }

    /** Sends the request and returns its answer on cert.issued. */
    private static ConsumerRecord<String, byte[]> send(CertRequest request) {
        probe.send(Topics.CERT_REQUESTED, request.node(), request);
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.CERT_ISSUED,
                r -> request.requestId().equals(EventCodec.decode(r.value(), CertIssued.class).requestId()), WAIT);
        return seen.get(seen.size() - 1);
    }

    /** The first bundle of this test's CA (other test classes' services publish on the same broker) matching. */
    private static TrustBundle trustBundle(java.util.function.Predicate<TrustBundle> match) {
        String ourRoot;
        try {
            ourRoot = java.nio.file.Files.readString(PkiTestResource.dir.resolve("state/root.pem"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.PKI_TRUST, r -> {
            TrustBundle bundle = EventCodec.decode(r.value(), TrustBundle.class);
            return bundle.rootPem().equals(ourRoot) && match.test(bundle);
        }, WAIT);
        return EventCodec.decode(seen.get(seen.size() - 1).value(), TrustBundle.class);
    }

    @Test
    @Order(8)
    void enrolmentOverPlainHttpIsRefusedAndSpendsNoToken() {
        KeyPair keys = TestKeys.ecKeyPair();
        String csr = TestKeys.csr(keys, "beta", List.of("beta"));
        String token = token("beta");
        given().contentType("application/json")
                .body(java.util.Map.of("node", "beta", "service", "plain", "csr", csr, "token", token))
                .post("/enrolment").then().statusCode(403)
                .body("error", org.hamcrest.Matchers.containsString("only served over HTTPS"));
        given().contentType("application/json").body("{}").post("/enrolment").then().statusCode(403);
        // The token was not looked at, so it still buys a certificate on the bus.
        CertIssued issued = EventCodec.decode(send(request("beta", "plain", csr, token, null)).value(),
                CertIssued.class);
        assertNull(issued.refusal(), () -> issued.refusal().message());
    }

    private static String token(String node) {
        try {
            var key = SigningKeys.readPrivateKey(PkiTestResource.signingKey());
            var now = SettableClock.CLOCK.instant();
            return new EnrolmentToken(UUID.randomUUID().toString(), node, now, now.plusSeconds(3600), "it").mint(key);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CertRequest enroll(String node, String service, KeyPair keys, List<String> names) {
        return new CertRequest(UUID.randomUUID().toString(), node, node + "/" + service, service, CertKind.ENROLL,
                TestKeys.csr(keys, node, names), null, token(node), null, null, names, false,
                SettableClock.CLOCK.instant());
    }

    private static CertRequest request(String node, String service, String csr, String token, Long lifetime) {
        return new CertRequest(UUID.randomUUID().toString(), node, node + "/" + service, service, CertKind.ENROLL, csr,
                null, token, null, lifetime, List.of(), false, SettableClock.CLOCK.instant());
    }

    private static CertRequest renewal(String node, String service, String csr, String currentPem, KeyPair keys) {
        String requestId = UUID.randomUUID().toString();
        return new CertRequest(requestId, node, node + "/" + service, service, CertKind.RENEW, csr, null, null,
                new CertRequest.Proof(currentPem, TestKeys.sign(keys.getPrivate(), CertRequest.proofMaterial(requestId, csr))),
                null, List.of(), false, SettableClock.CLOCK.instant());
    }

    /** The same malformed body and unknown path as every REST service (rest-edge's shared mappers). */
    @Test
    void answersMalformedJsonAndUnknownPathsLikeEveryService() {
        RestErrorShape.assertMalformedJsonRefused(base(), "/enrolment", "EnrolmentResource.EnrolmentRequest");
        RestErrorShape.assertUnknownPathRefused(base());
    }

    private static java.net.URI base() {
        return java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/");
    }
}
