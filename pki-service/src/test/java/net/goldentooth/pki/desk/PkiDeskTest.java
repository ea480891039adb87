package net.goldentooth.pki.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.RefusalFault;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.enrolment.LineLedger;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.issuance.Issuer;
import net.goldentooth.pki.policy.ClockSkewPolicy;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.NodeIdentity;
import net.goldentooth.pki.policy.RenewalPolicy;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import net.goldentooth.testkit.MutableClock;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk without Quarkus or a broker: real CAs and ledgers in a temporary directory, a settable
 * clock, and an outbox that records what would be published and can play a broker that does not
 * acknowledge.
 */
class PkiDeskTest {

    private static final Map<String, NodeIdentity> NODES = Map.of(
            "bettley", new NodeIdentity("bettley", "10.4.0.11", List.of()),
            "fenn", new NodeIdentity("fenn", "10.4.0.15", List.of()));

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private final SigningKeys.KeyPair provisioner = SigningKeys.generate();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<String> counted = new ArrayList<>();
    private int opened;
    private PkiDesk desk;

    private final SharedClaimLog claims = new SharedClaimLog(clock);

    @BeforeEach
    void desk() throws IOException {
        Path publicKey = dir.resolve("task-signing.pub");
        Files.writeString(publicKey, SigningKeys.publicKeyPem(provisioner.publicKey()));
        desk = desk("pki-a", dir, outbox);
    }

    /** An instance with its own ledgers under {@code ledgers}, the shared CA files and the shared claim log. */
    private PkiDesk desk(String instance, Path ledgers, PkiOutbox out) throws IOException {
        TokenCheck tokens = new TokenCheck(dir.resolve("task-signing.pub"), new LineLedger(ledgers.resolve("used-tokens")));
        Issuer.Rules rules = new Issuer.Rules(new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(168)),
                new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(24)), new RenewalPolicy(Duration.ofDays(7)),
                new ClockSkewPolicy(5.0));
        return new PkiDesk(new PkiDesk.Parts(this::node, tokens, new LineLedger(ledgers.resolve("revoked-lineages")),
                rules, store(), out, counters(), workers, claims.as(instance), () -> opened++), clock);
    }

    /** A second instance, pki-b, with its own ledgers under {@code b/}, initialised. */
    private PkiDesk instanceB(PkiOutbox out) throws IOException {
        PkiDesk other = desk("pki-b", Files.createDirectories(dir.resolve("b")), out);
        other.initialise();
        return other;
    }

    @Test
    void aTokenSpentThroughOneInstanceIsRefusedByTheOtherOnTheBusAndOverHttps() throws IOException {
        desk.initialise();
        RecordingOutbox outboxB = new RecordingOutbox();
        PkiDesk other = instanceB(outboxB);
        String token = token("bettley");

        CertIssued first = batch(enroll("bettley", "vault", token)).get(0);
        assertNull(first.refusal());
        // pki-b's own ledger has never seen the token: only the shared claim log stops it.
        assertFalse(Files.readString(dir.resolve("b/used-tokens")).contains("-"));
        CertIssued overHttps = other.enrol(enroll("bettley", "vault", token)).orElseThrow();
        assertEquals(RefusalReason.TOKEN_REUSED, overHttps.refusal().reason());
        other.collect(enroll("bettley", "consul", token));
        CertIssued onTheBus = other.answerBatch().get(0);
        assertEquals(RefusalReason.TOKEN_REUSED, onTheBus.refusal().reason());
        assertTrue(outboxB.issued.stream().noneMatch(CertIssued::issued), "pki-b published no certificate");
        assertEquals(1, outbox.issued.stream().filter(CertIssued::issued).count());
        // The same token spent first over HTTPS on pki-b: pki-a refuses it on the bus.
        String second = token("fenn");
        assertNull(other.enrol(enroll("fenn", "kafka", second)).orElseThrow().refusal());
        assertEquals(RefusalReason.TOKEN_REUSED, batch(enroll("fenn", "consul", second)).get(0).refusal().reason());
    }

    @Test
    void aRequestReadTwiceInOneBatchWhoseTokenWasSpentElsewhereIsRefusedBothTimes() throws IOException {
        desk.initialise();
        RecordingOutbox outboxB = new RecordingOutbox();
        PkiDesk other = instanceB(outboxB);
        String token = token("bettley");
        assertNull(desk.enrol(enroll("bettley", "kafka", token)).orElseThrow().refusal());
        CertRequest request = enroll("bettley", "vault", token);
        other.collect(request);
        other.collect(request); // the same record on two partitions, or read again in one poll
        List<CertIssued> answers = other.answerBatch();
        assertEquals(2, answers.size());
        assertTrue(answers.stream().allMatch(x -> x.refusal() != null
                && x.refusal().reason() == RefusalReason.TOKEN_REUSED), answers.toString());
        assertTrue(outboxB.issued.stream().noneMatch(CertIssued::issued));
    }

    @Test
    void aRequestAnsweredByOneInstanceIsNotAnsweredAgainByTheOneThatGetsItAfterARebalance() throws IOException {
        desk.initialise();
        RecordingOutbox outboxB = new RecordingOutbox();
        PkiDesk other = instanceB(outboxB);
        CertRequest renewalLike = enroll("fenn", "consul", token("fenn"));
        assertNull(batch(renewalLike).get(0).refusal());
        // pki-a answered but its commit was lost; the partition moved and pki-b reads the request again.
        other.collect(renewalLike);
        assertEquals(List.of(), other.answerBatch());
        assertEquals(List.of(), outboxB.issued, "no second certificate for one request");
        // pki-a, still owning it somewhere in a race, answers its redelivery with the same certificate.
        assertEquals(outbox.issued.get(0).serial(), batch(renewalLike).get(0).serial());
    }

    @Test
    void claimsThatCannotBeSettledPublishNothingAndSpendNothingAndTheBatchIsDecidedAfresh() throws IOException {
        desk.initialise();
        CertRequest request = enroll("bettley", "vault", token("bettley"));
        claims.fault = SharedClaimLog.Fault.AWAY;
        desk.collect(request);
        assertThrows(IllegalStateException.class, desk::answerBatch);
        assertEquals(List.of(), outbox.issued);
        assertEquals("", Files.readString(dir.resolve("used-tokens")), "the token is not spent");
        // The claim reached the log but its acknowledgement was lost: the retry is the same claim, and wins.
        claims.fault = SharedClaimLog.Fault.ACK_LOST;
        desk.collect(request);
        assertThrows(IllegalStateException.class, desk::answerBatch);
        claims.fault = SharedClaimLog.Fault.NONE;
        CertIssued answer = batch(request).get(0);
        assertNull(answer.refusal());
        assertEquals(List.of(answer), outbox.issued);
        assertTrue(Files.readString(dir.resolve("used-tokens")).strip().length() > 0);
        // Another instance that later reads the same request does not issue it again.
        PkiDesk other = instanceB(new RecordingOutbox());
        other.collect(request);
        assertEquals(List.of(), other.answerBatch());
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void beforeTheCaIsOpenNothingIsIssuedAndTheStatusSaysSo() {
        assertFalse(desk.initialised());
        assertEquals(Optional.empty(), desk.enrol(enroll("bettley", "vault", token("bettley"))));
        assertEquals(Optional.empty(), desk.crlPem());
        assertFalse(desk.status().initialised());
        assertTrue(outbox.trust.isEmpty());
    }

    @Test
    void openingPublishesTheTrustBundleThenLetsTheShellReadRequests() {
        assertTrue(desk.initialise().initialised());
        assertEquals(1, opened);
        assertEquals(1, outbox.trust.size());
        TrustBundle bundle = outbox.trust.get(0);
        assertTrue(bundle.rootPem().contains("BEGIN CERTIFICATE"));
        assertEquals(2, bundle.revision()); // the task key is there from the start
        desk.initialise();
        assertEquals(1, opened, "a second init opens nothing again");
    }

    @Test
    void aBatchIsAnsweredInRequestOrderPublishedAndRecordedAndARedeliveryGetsTheSameAnswer() {
        desk.initialise();
        CertRequest first = enroll("bettley", "vault", token("bettley"));
        CertRequest refused = enroll("fenn", "vault", "not-a-token");
        CertRequest second = enroll("fenn", "consul", token("fenn"));
        List<CertIssued> answers = batch(first, refused, second);

        assertEquals(List.of(first.requestId(), refused.requestId(), second.requestId()),
                answers.stream().map(CertIssued::requestId).toList());
        assertNull(answers.get(0).refusal());
        assertEquals(RefusalReason.TOKEN_INVALID, answers.get(1).refusal().reason());
        assertNull(answers.get(1).refusal().fault());
        assertNull(answers.get(2).refusal());
        assertEquals(answers, outbox.issued);
        // Lineages are decided in parallel: the counts, not their order.
        assertEquals(List.of("issued:enroll", "issued:enroll", "refused:token-invalid"),
                counted.stream().sorted().toList());
        assertEquals(List.of("bettley/vault", "fenn/consul"), desk.certificates().stream()
                .filter(v -> v.serial() != null).map(v -> v.lineage()).sorted().toList());
        assertTrue(desk.certificates().stream().anyMatch(v -> v.lineage().equals("fenn/vault")
                && v.serial() == null && v.lastRefusal().startsWith("token-invalid")));

        // The same request read again (its commit was lost): the remembered answer, not "token reused".
        CertIssued again = batch(first).get(0);
        assertEquals(answers.get(0).serial(), again.serial());
    }

    @Test
    void anUnexpectedFailureIsATypedRetryableRefusalWithoutTheExceptionsText() {
        desk.initialise();
        CertRequest request = enroll("crashy", "vault", token("crashy"));
        CertIssued answer = batch(request).get(0);
        assertEquals(RefusalReason.BAD_REQUEST, answer.refusal().reason());
        assertEquals(RefusalFault.INTERNAL_ERROR, answer.refusal().fault());
        assertTrue(answer.refusal().retryable());
        assertFalse(answer.refusal().message().contains("inventory lookup exploded"), answer.refusal().message());
        assertFalse(answer.refusal().message().contains("IllegalStateException"), answer.refusal().message());
        assertTrue(answer.refusal().message().contains("incident "), answer.refusal().message());
        assertEquals(List.of(answer), outbox.issued);
    }

    @Test
    void answersTheBrokerDidNotAcknowledgeAreNotCommittedButRemembered() {
        desk.initialise();
        CertRequest request = enroll("bettley", "vault", token("bettley"));
        outbox.acknowledge = false;
        desk.collect(request);
        assertThrows(CompletionException.class, desk::answerBatch);
        outbox.acknowledge = true;
        // The token was durable before publishing: the redelivered request gets the same certificate.
        CertIssued redelivered = batch(request).get(0);
        assertNull(redelivered.refusal());
        assertEquals(outbox.issued.get(0).serial(), redelivered.serial());
    }

    @Test
    void enrolmentOverHttpsIsDecidedByTheSameIssuerAndPublished() {
        desk.initialise();
        String token = token("bettley");
        CertIssued answer = desk.enrol(enroll("bettley", "kafka", token)).orElseThrow();
        assertNotNull(answer.certificatePem());
        assertEquals(List.of(answer), outbox.issued);
        CertIssued reused = desk.enrol(enroll("bettley", "kafka", token)).orElseThrow();
        assertEquals(RefusalReason.TOKEN_REUSED, reused.refusal().reason());
    }

    @Test
    void theExpiryScanAnnouncesATierOnceAndAgainWhenTheBrokerLostIt() {
        desk.initialise();
        batch(enroll("bettley", "vault", token("bettley")));
        assertEquals(List.of(), desk.scanExpiry());
        clock.advance(Duration.ofHours(23).plusMinutes(50));

        outbox.acknowledge = false;
        assertThrows(IllegalStateException.class, desk::scanExpiry);
        outbox.acknowledge = true;
        List<CertExpiring> due = desk.scanExpiry();
        assertEquals(List.of("bettley/vault"), due.stream().map(CertExpiring::lineage).toList());
        assertEquals(List.of(), desk.scanExpiry(), "a tier is announced once");
        desk.scan(); // the scheduled tick swallows nothing it should not: here it has nothing to do
        assertEquals(2, outbox.expiring.size());
    }

    @Test
    void anExpiryEventTheBrokerRefusesIsRetriedAloneItsAcknowledgedBatchMatesAreNotRepeated() {
        desk.initialise();
        batch(enroll("bettley", "vault", token("bettley")), enroll("fenn", "consul", token("fenn")));
        clock.advance(Duration.ofHours(23).plusMinutes(50));
        outbox.refuse = "fenn/consul";
        IllegalStateException failed = assertThrows(IllegalStateException.class, desk::scanExpiry);
        assertTrue(failed.getMessage().startsWith("1 of 2 cert.expiring events not acknowledged"), failed.getMessage());
        assertEquals("broker away", failed.getCause().getMessage());
        outbox.refuse = null;
        assertEquals(List.of("fenn/consul"), desk.scanExpiry().stream().map(CertExpiring::lineage).toList());
        assertEquals(List.of(), desk.scanExpiry());
    }

    @Test
    void revocationIsDurableAnnouncedInANewBundleAndListedInTheCrl() throws IOException {
        desk.initialise();
        batch(enroll("bettley", "vault", token("bettley")));
        assertTrue(desk.revoke("bettley/vault"));
        assertFalse(desk.revoke("bettley/vault"));
        assertEquals(2, outbox.trust.size());
        assertEquals(List.of("bettley/vault"), outbox.trust.get(1).revokedLineages());
        assertEquals(3, outbox.trust.get(1).revision());
        assertTrue(Files.readString(dir.resolve("revoked-lineages")).contains("bettley/vault"));
        assertTrue(desk.crlPem().orElseThrow().contains("BEGIN X509 CRL"));
        assertEquals(1, desk.status().revokedLineages());
    }

    @Test
    void aRevocationMadeThroughOneInstanceIsAdoptedByTheOtherFromTheTrustBundleAndTheyConverge() throws IOException {
        desk.initialise();
        RecordingOutbox outboxB = new RecordingOutbox();
        PkiDesk other = instanceB(outboxB);
        assertTrue(desk.revoke("bettley/vault"));
        TrustBundle fromA = outbox.trust.get(outbox.trust.size() - 1);

        assertEquals(List.of("bettley/vault"), other.adoptRevocations(fromA));
        assertTrue(Files.readString(dir.resolve("b/revoked-lineages")).contains("bettley/vault"), "durable on pki-b");
        assertEquals(1, other.status().revokedLineages());
        TrustBundle fromB = outboxB.trust.get(outboxB.trust.size() - 1);
        assertEquals(List.of("bettley/vault"), fromB.revokedLineages(), "pki-b publishes the union");

        // Each reads the other's bundle back: nothing new, nothing published, so the exchange ends.
        int publishedA = outbox.trust.size();
        int publishedB = outboxB.trust.size();
        assertEquals(List.of(), desk.adoptRevocations(fromB));
        assertEquals(List.of(), other.adoptRevocations(fromA));
        assertEquals(publishedA, outbox.trust.size());
        assertEquals(publishedB, outboxB.trust.size());

        // Revoked on both at once, different lineages: each adopts the other's and both end with both.
        assertTrue(desk.revoke("fenn/consul"));
        assertTrue(other.revoke("harlton/kafka"));
        other.adoptRevocations(outbox.trust.get(outbox.trust.size() - 1));
        desk.adoptRevocations(outboxB.trust.get(outboxB.trust.size() - 1));
        assertEquals(desk.revokedLineages(), other.revokedLineages());
        assertEquals(Set.of("bettley/vault", "fenn/consul", "harlton/kafka"), desk.revokedLineages());
    }

    @Test
    void aTrustBundleOfAnotherRootOrWithAnEntryThatIsNoLineageRevokesNothing() {
        desk.initialise();
        TrustBundle mine = outbox.trust.get(0);
        TrustBundle foreign = new TrustBundle("-----BEGIN CERTIFICATE-----\nother\n-----END CERTIFICATE-----\n",
                mine.intermediatePem(), mine.sshHostCaPublicKey(), mine.sshUserCaPublicKey(),
                mine.taskSigningPublicKeyPem(), List.of("bettley/vault"), 9, clock.instant());
        assertEquals(List.of(), desk.adoptRevocations(foreign));
        TrustBundle odd = new TrustBundle(mine.rootPem(), mine.intermediatePem(), mine.sshHostCaPublicKey(),
                mine.sshUserCaPublicKey(), mine.taskSigningPublicKeyPem(),
                java.util.Arrays.asList("bettley/vault\nfenn/kafka", "", null, "not-a-lineage", "fenn/kafka"), 9,
                clock.instant());
        assertEquals(List.of("fenn/kafka"), desk.adoptRevocations(odd));
        assertEquals(Set.of("fenn/kafka"), desk.revokedLineages());
    }

    private List<CertIssued> batch(CertRequest... requests) {
        for (CertRequest request : requests) {
            desk.collect(request);
        }
        return desk.answerBatch();
    }

    private Optional<NodeIdentity> node(String name) {
        if (name.equals("crashy")) {
            throw new IllegalStateException("inventory lookup exploded");
        }
        return Optional.ofNullable(NODES.get(name));
    }

    private Authorities.Store store() {
        char[] password = "pw".toCharArray();
        return new Authorities.Store() {
            @Override
            public boolean exists() {
                return CertificateAuthority.exists(dir);
            }

            @Override
            public Authorities open(boolean create) throws IOException {
                return new Authorities(create ? CertificateAuthority.initialise(dir, password, clock)
                        : CertificateAuthority.load(dir, password),
                        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST, dir.resolve("h.p12"), password, clock),
                        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER, dir.resolve("u.p12"), password, clock));
            }
        };
    }

    private PkiCounters counters() {
        return new PkiCounters() {
            @Override
            public synchronized void issued(CertKind kind) {
                counted.add("issued:" + kind.wire());
            }

            @Override
            public synchronized void refused(RefusalReason reason) {
                counted.add("refused:" + reason.wire());
            }
        };
    }

    private String token(String node) {
        return new EnrolmentToken(UUID.randomUUID().toString(), node, clock.instant(), clock.instant().plusSeconds(3600),
                provisioner.keyId()).mint(provisioner.privateKey());
    }

    private CertRequest enroll(String node, String service, String token) {
        return new CertRequest(UUID.randomUUID().toString(), node, node + "/" + service, service, CertKind.ENROLL,
                TestKeys.csr(TestKeys.ecKeyPair(), node, List.of(node)), null, token, null, null, List.of(node), false,
                clock.instant());
    }

    /** Records what would be published; a broker that does not acknowledge fails the futures. */
    private static final class RecordingOutbox implements PkiOutbox {
        final List<CertIssued> issued = new ArrayList<>();
        final List<CertExpiring> expiring = new ArrayList<>();
        final List<TrustBundle> trust = new ArrayList<>();
        volatile boolean acknowledge = true;
        /** A lineage whose expiry events the broker refuses, or null. */
        volatile String refuse;

        @Override
        public synchronized CompletableFuture<?> issued(CertIssued answer) {
            issued.add(answer);
            return answer();
        }

        @Override
        public synchronized CompletableFuture<?> expiring(CertExpiring event) {
            expiring.add(event);
            return event.lineage().equals(refuse) ? CompletableFuture.failedFuture(new IOException("broker away"))
                    : answer();
        }

        @Override
        public synchronized CompletableFuture<?> trust(TrustBundle bundle) {
            trust.add(bundle);
            return answer();
        }

        @Override
        public void flush() {
        }

        private CompletableFuture<?> answer() {
            return acknowledge ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new IOException("broker away"));
        }
    }
}
