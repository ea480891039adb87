package net.goldentooth.pki.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.enrolment.LineLedger;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.inventory.CertificateInventory;
import net.goldentooth.pki.policy.ClockSkewPolicy;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.NodeIdentity;
import net.goldentooth.pki.policy.RenewalPolicy;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import net.goldentooth.testkit.MutableClock;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer with a real CA and a settable clock: enrolment, renewal by proof (including the
 * offline-for-days grace path), SSH certificates, and every kind of bad input refused with its own
 * reason while nothing is issued.
 */
class IssuerTest {

    private static final Map<String, NodeIdentity> NODES = Map.of(
            "bettley", new NodeIdentity("bettley", "10.4.0.11", List.of("vault.service.consul")),
            "fenn", new NodeIdentity("fenn", "10.4.0.15", List.of()));

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private final SigningKeys.KeyPair provisioner = SigningKeys.generate();
    private final CertificateInventory inventory = new CertificateInventory();
    private final Set<String> revoked = new HashSet<>();
    private final Map<String, Double> offsets = new HashMap<>();
    private Issuer issuer;
    private CertificateAuthority ca;

    @BeforeEach
    void issuer() throws Exception {
        ca = CertificateAuthority.initialise(dir, "pw".toCharArray(), clock);
        Path publicKey = dir.resolve("task-signing.pub");
        Files.writeString(publicKey, SigningKeys.publicKeyPem(provisioner.publicKey()));
        TokenCheck tokens = new TokenCheck(publicKey, new LineLedger(dir.resolve("used-tokens")));
        issuer = new Issuer(new Issuer.Parts(ca,
                SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST, dir.resolve("h.p12"), "pw".toCharArray(), clock),
                SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER, dir.resolve("u.p12"), "pw".toCharArray(), clock),
                n -> Optional.ofNullable(NODES.get(n)), tokens, inventory, revoked::contains, offsets::get),
                new Issuer.Rules(new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(168)),
                        new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(24)),
                        new RenewalPolicy(Duration.ofDays(7)), new ClockSkewPolicy(5.0)), clock);
    }

    @Test
    void enrolmentIssuesALeafWithThePolicyNamesAndSpendsTheToken() {
        KeyPair keys = TestKeys.ecKeyPair();
        String token = token("bettley");
        CertIssued issued = handle(enroll("bettley", "vault", keys, List.of("bettley", "vault.service.consul", "10.4.0.11"),
                token, null));
        assertNull(issued.refusal());
        assertEquals(clock.instant().minus(Duration.ofMinutes(1)), issued.notBefore());
        assertEquals(clock.instant().plus(Duration.ofHours(24)), issued.notAfter());
        assertTrue(ca.signed(Pem.holder(issued.certificatePem())));
        assertEquals(issued.serial(), Pem.certificate(issued.certificatePem()).getSerialNumber().toString(16));

        CertIssued replay = handle(enroll("bettley", "other", TestKeys.ecKeyPair(), List.of(), token, null));
        assertRefused(replay, RefusalReason.TOKEN_REUSED);
    }

    @Test
    void aRequestRefusedForItsNamesLeavesTheTokenUnspent() {
        KeyPair keys = TestKeys.ecKeyPair();
        String token = token("fenn");
        assertRefused(handle(enroll("fenn", "vault", keys, List.of("vault.service.consul"), token, null)),
                RefusalReason.NAME_NOT_ALLOWED);
        assertNull(handle(enroll("fenn", "vault", keys, List.of("fenn"), token, null)).refusal());
    }

    @Test
    void badInputIsRefusedEachWithItsOwnReasonAndNothingIsIssued() {
        KeyPair keys = TestKeys.ecKeyPair();
        String goodCsr = TestKeys.csr(keys, "bettley", List.of("bettley"));
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, "garbage", token("bettley"), null, null)),
                RefusalReason.BAD_REQUEST);
        CertIssued forgedCsr = handle(request("bettley", "x", CertKind.ENROLL,
                TestKeys.flipSignatureByte(goodCsr), token("bettley"), null, null));
        assertRefused(forgedCsr, RefusalReason.BAD_REQUEST);
        assertTrue(forgedCsr.refusal().message().contains("signature"), forgedCsr.refusal().message());
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, TestKeys.csr(keys, "bettley",
                List.of("fenn.goldentooth.net")), token("bettley"), null, null)), RefusalReason.NAME_NOT_ALLOWED);
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, goodCsr, token("bettley"), null, 169L * 3600)),
                RefusalReason.LIFETIME_TOO_LONG);
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, goodCsr, token("fenn"), null, null)),
                RefusalReason.TOKEN_INVALID);
        String foreign = new EnrolmentToken("t", "bettley", clock.instant(), clock.instant().plusSeconds(60), "k")
                .mint(SigningKeys.generate().privateKey());
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, goodCsr, foreign, null, null)),
                RefusalReason.TOKEN_INVALID);
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, goodCsr, null, null, null)),
                RefusalReason.TOKEN_INVALID);
        // A node cannot name another node's lineage.
        assertRefused(handle(new CertRequest("r", "bettley", "fenn/x", "x", CertKind.ENROLL, goodCsr, null,
                token("bettley"), null, null, List.of(), false, clock.instant())), RefusalReason.BAD_REQUEST);
        offsets.put("bettley", 8 * 86400.0);
        assertRefused(handle(request("bettley", "x", CertKind.ENROLL, goodCsr, token("bettley"), null, null)),
                RefusalReason.CLOCK_SKEW);
        assertEquals(0, inventory.view(clock.instant(), Set.of()).stream().filter(v -> v.serial() != null).count());
    }

    @Test
    void renewalNeedsAProofMadeWithTheCurrentKeyAndAllowsRekey() {
        KeyPair keys = TestKeys.ecKeyPair();
        CertIssued first = handle(enroll("bettley", "consul", keys, List.of("bettley"), token("bettley"), null));
        String csr = TestKeys.csr(keys, "bettley", List.of("bettley"));

        // Forged proof: signed by a different key.
        CertRequest forged = renewal("bettley", "consul", csr, first.certificatePem(), TestKeys.ecKeyPair(), false);
        assertRefused(handle(forged), RefusalReason.PROOF_INVALID);
        // A proof whose signature covers another request id does not verify for this one.
        CertRequest good = renewal("bettley", "consul", csr, first.certificatePem(), keys, false);
        CertRequest replayedSignature = new CertRequest("other-id", good.node(), good.lineage(), good.service(), good.kind(),
                good.csrPem(), null, null, good.proof(), null, good.names(), false, good.at());
        assertRefused(handle(replayedSignature), RefusalReason.PROOF_INVALID);
        // A certificate of another lineage does not prove this one.
        assertRefused(handle(renewal("bettley", "vault", csr, first.certificatePem(), keys, false)), RefusalReason.PROOF_INVALID);

        CertIssued renewed = handle(good);
        assertNull(renewed.refusal());
        assertNotEquals(first.serial(), renewed.serial());

        KeyPair newKeys = TestKeys.ecKeyPair();
        String newCsr = TestKeys.csr(newKeys, "bettley", List.of("bettley"));
        assertRefused(handle(renewal("bettley", "consul", newCsr, renewed.certificatePem(), keys, false)),
                RefusalReason.BAD_REQUEST);
        CertIssued rekeyed = handle(renewal("bettley", "consul", newCsr, renewed.certificatePem(), keys, true));
        assertNull(rekeyed.refusal());
        assertEquals(newKeys.getPublic(), Pem.certificate(rekeyed.certificatePem()).getPublicKey());
    }

    @Test
    void afterARestartTheProofCertificateIsVerifiedAndOnlyOursProves() throws Exception {
        KeyPair keys = TestKeys.ecKeyPair();
        CertIssued first = handle(enroll("bettley", "consul", keys, List.of("bettley"), token("bettley"), null));
        String csr = TestKeys.csr(keys, "bettley", List.of("bettley"));
        // A CA loaded afresh remembers nothing it signed: the certificate's signature itself is checked.
        Issuer restarted = new Issuer(new Issuer.Parts(CertificateAuthority.load(dir, "pw".toCharArray()), null, null,
                n -> Optional.ofNullable(NODES.get(n)), null, inventory, revoked::contains, offsets::get),
                new Issuer.Rules(new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(168)), null,
                        new RenewalPolicy(Duration.ofDays(7)), new ClockSkewPolicy(5.0)), clock);
        String forgedPem = TestKeys.flipSignatureByte(first.certificatePem())
                .replace("CERTIFICATE REQUEST", "CERTIFICATE");
        assertRefused(restarted.handle(renewal("bettley", "consul", csr, forgedPem, keys, false)),
                RefusalReason.PROOF_INVALID);
        CertificateAuthority foreign = CertificateAuthority.initialise(Files.createDirectories(dir.resolve("foreign")),
                "pw".toCharArray(), clock);
        String foreignPem = Pem.of(foreign.issue(new CertificateAuthority.LeafSpec(keys.getPublic(), "bettley",
                "bettley/consul", List.of("bettley"), List.of(), clock.instant(), clock.instant().plusSeconds(3600))));
        assertRefused(restarted.handle(renewal("bettley", "consul", csr, foreignPem, keys, false)),
                RefusalReason.PROOF_INVALID);
        CertIssued renewed = restarted.handle(renewal("bettley", "consul", csr, first.certificatePem(), keys, false));
        assertNull(renewed.refusal());
        assertEquals(keys.getPublic(), Pem.certificate(renewed.certificatePem()).getPublicKey());
    }

    @Test
    void aNodeOfflineFiveDaysCatchesUpThroughGraceTenDaysIsRefused() {
        KeyPair keys = TestKeys.ecKeyPair();
        CertIssued first = handle(enroll("bettley", "consul", keys, List.of(), token("bettley"), null));
        String csr = TestKeys.csr(keys, "bettley", List.of());

        clock.advance(Duration.ofDays(5)); // the 24 h certificate expired four days ago
        CertIssued caughtUp = handle(renewal("bettley", "consul", csr, first.certificatePem(), keys, false));
        assertNull(caughtUp.refusal(), () -> caughtUp.refusal().message());
        assertEquals(clock.instant().plus(Duration.ofHours(24)), caughtUp.notAfter());
        // The old certificate is no longer the newest of its lineage: it cannot be used again.
        assertRefused(handle(renewal("bettley", "consul", csr, first.certificatePem(), keys, false)), RefusalReason.NOT_NEWEST);

        clock.advance(Duration.ofDays(10)); // caughtUp expired nine days ago
        CertIssued refused = handle(renewal("bettley", "consul", csr, caughtUp.certificatePem(), keys, false));
        assertRefused(refused, RefusalReason.EXPIRED_BEYOND_GRACE);
        assertTrue(refused.refusal().message().contains("expired 9d 0h ago"), refused.refusal().message());
        // ... and the inventory raises the alert for the lineage: expired is the highest short-lived tier.
        List<CertExpiring> alerts = inventory.dueExpiryEvents(clock.instant(), Set.of());
        assertEquals(1, alerts.size());
        assertEquals(ExpiryTier.CRITICAL, alerts.get(0).tier());
        assertEquals("bettley/consul", alerts.get(0).lineage());
        assertEquals(List.of(), inventory.dueExpiryEvents(clock.instant().plusSeconds(60), Set.of()));
    }

    @Test
    void revokedLineagesAreNeverRenewed() {
        KeyPair keys = TestKeys.ecKeyPair();
        CertIssued first = handle(enroll("bettley", "consul", keys, List.of(), token("bettley"), null));
        revoked.add("bettley/consul");
        assertRefused(handle(renewal("bettley", "consul", TestKeys.csr(keys, "bettley", List.of()), first.certificatePem(),
                keys, false)), RefusalReason.REVOKED);
    }

    @Test
    void sshHostAndUserCertificatesWithProofOrToken() throws Exception {
        KeyPair keys = TestKeys.ecKeyPair();
        CertIssued tls = handle(enroll("bettley", "canary", keys, List.of(), token("bettley"), null));
        String sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGd5bXV1c2VyS2V5Rm9yVGVzdHNPbmx5MTIzNDU2Nzg5MA== test";
        CertRequest hostRequest = new CertRequest(UUID.randomUUID().toString(), "bettley", "bettley/ssh-host", "sshd",
                CertKind.SSH_HOST, null, sshKey, null, null, null, List.of(), false, clock.instant());
        CertRequest.Proof proof = new CertRequest.Proof(tls.certificatePem(),
                TestKeys.sign(keys.getPrivate(), hostRequest.proofMaterial()));
        CertIssued host = handle(new CertRequest(hostRequest.requestId(), "bettley", "bettley/ssh-host", "sshd",
                CertKind.SSH_HOST, null, sshKey, null, proof, null, List.of(), false, clock.instant()));
        assertNull(host.refusal(), () -> host.refusal().message());
        assertTrue(host.sshCertificate().startsWith("ssh-ed25519-cert-v01@openssh.com "), host.sshCertificate());
        assertEquals(clock.instant().plus(Duration.ofHours(24)), host.notAfter());

        CertIssued user = handle(new CertRequest("u-1", "bettley", "bettley/ssh-root", "sshd", CertKind.SSH_USER, null,
                sshKey, token("bettley"), null, null, List.of(), false, clock.instant()));
        assertNotNull(user.sshCertificate());
        assertRefused(handle(new CertRequest("u-2", "bettley", "bettley/ssh-root", "sshd", CertKind.SSH_USER, null,
                "ssh-ed25519 garbage", token("bettley"), null, null, List.of(), false, clock.instant())),
                RefusalReason.BAD_REQUEST);
        assertRefused(handle(new CertRequest("u-3", "bettley", "bettley/ssh-root", "sshd", CertKind.SSH_USER, null,
                sshKey, token("bettley"), null, 25L * 3600, List.of(), false, clock.instant())),
                RefusalReason.LIFETIME_TOO_LONG);
    }

    private CertIssued handle(CertRequest request) {
        CertIssued answer = issuer.handle(request);
        inventory.record(answer);
        return answer;
    }

    private static void assertRefused(CertIssued answer, RefusalReason reason) {
        assertNotNull(answer.refusal(), "expected a refusal " + reason.wire() + ", got serial " + answer.serial());
        assertEquals(reason, answer.refusal().reason(), answer.refusal().message());
        assertNull(answer.certificatePem());
        assertNull(answer.sshCertificate());
    }

    private String token(String node) {
        return new EnrolmentToken(UUID.randomUUID().toString(), node, clock.instant(), clock.instant().plusSeconds(3600),
                provisioner.keyId()).mint(provisioner.privateKey());
    }

    private CertRequest enroll(String node, String service, KeyPair keys, List<String> names, String token, Long lifetime) {
        return new CertRequest(UUID.randomUUID().toString(), node, node + "/" + service, service, CertKind.ENROLL,
                TestKeys.csr(keys, node, names), null, token, null, lifetime, names, false, clock.instant());
    }

    private CertRequest request(String node, String service, CertKind kind, String csr, String token,
                                CertRequest.Proof proof, Long lifetime) {
        return new CertRequest(UUID.randomUUID().toString(), node, node + "/" + service, service, kind, csr, null, token,
                proof, lifetime, List.of(), false, clock.instant());
    }

    private CertRequest renewal(String node, String service, String csr, String currentPem, KeyPair signer, boolean rekey) {
        String requestId = UUID.randomUUID().toString();
        CertRequest.Proof proof = new CertRequest.Proof(currentPem,
                TestKeys.sign(signer.getPrivate(), CertRequest.proofMaterial(requestId, csr)));
        return new CertRequest(requestId, node, node + "/" + service, service, CertKind.RENEW, csr, null, null, proof,
                null, List.of(), rekey, clock.instant());
    }
}
