package net.goldentooth.pki.issuance;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Csr;
import net.goldentooth.pki.authority.EcCrypto;
import net.goldentooth.pki.authority.InvalidCsrException;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.errors.PkiError;
import net.goldentooth.pki.inventory.CertificateInventory;
import net.goldentooth.pki.policy.ClockSkewPolicy;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.NamePolicy;
import net.goldentooth.pki.policy.Names;
import net.goldentooth.pki.policy.NodeIdentity;
import net.goldentooth.pki.policy.RefusedException;
import net.goldentooth.pki.policy.RenewalPolicy;
import net.goldentooth.pki.policy.SshPrincipals;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Turns one {@link CertRequest} into one {@link CertIssued}: a certificate, or a refusal with its
 * typed reason. Every check runs before anything irreversible: the enrolment token is spent only
 * once the request is known to be served, so a request refused for a bad name can be corrected
 * and retried with the same token. A spent token is claimed in memory at once; the caller makes
 * the claims durable ({@link TokenCheck#persistSpent()}) before it publishes the answers.
 */
public final class Issuer {

    /** What the issuer needs from the rest of the service. */
    public record Parts(CertificateAuthority x509, SshCertificateAuthority sshHosts, SshCertificateAuthority sshUsers,
                        Function<String, java.util.Optional<NodeIdentity>> nodes, TokenCheck tokens,
                        CertificateInventory inventory, Predicate<String> revoked,
                        Function<String, Double> reportedClockOffset) {
    }

    /** The policies, from configuration. */
    public record Rules(LifetimePolicy x509Lifetime, LifetimePolicy sshLifetime, RenewalPolicy renewal,
                        ClockSkewPolicy clockSkew) {
    }

    private final Parts parts;
    private final Rules rules;
    private final Clock clock;

    public Issuer(Parts parts, Rules rules, Clock clock) {
        this.parts = parts;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Whether a certificate issued for {@code request} was paid for with its enrolment token: an
     * enrolment, or an SSH certificate asked for without a proof (a proof takes precedence).
     */
    public static boolean spendsToken(CertRequest request) {
        return request.kind() == CertKind.ENROLL
                || (request.kind() == CertKind.SSH_HOST || request.kind() == CertKind.SSH_USER) && request.proof() == null;
    }

    public CertIssued handle(CertRequest request) {
        Instant now = clock.instant();
        try {
            NodeIdentity node = checkBasics(request);
            return switch (request.kind()) {
                case ENROLL, RENEW -> x509(request, node, now);
                case SSH_HOST, SSH_USER -> ssh(request, node, now);
            };
        } catch (RefusedException e) {
            return e.error().answer(request, now);
        } catch (InvalidCsrException e) {
            return new PkiError.Refused(RefusalReason.BAD_REQUEST, e.getMessage()).answer(request, now);
        }
    }

    private NodeIdentity checkBasics(CertRequest request) {
        if (request.requestId() == null || request.requestId().isBlank() || request.kind() == null) {
            throw new RefusedException(RefusalReason.BAD_REQUEST, "requestId and kind are required");
        }
        if (request.node() == null || request.lineage() == null) {
            throw new RefusedException(RefusalReason.BAD_REQUEST, "node and lineage are required");
        }
        // A node names only its own lineages: bettley cannot ask for (and so overwrite) fenn/consul.
        if (!request.lineage().startsWith(request.node() + "/") || request.lineage().length() <= request.node().length() + 1) {
            throw new RefusedException(RefusalReason.BAD_REQUEST,
                    "lineage '" + request.lineage() + "' must be '" + request.node() + "/<service>'");
        }
        NodeIdentity node = parts.nodes().apply(request.node()).orElseThrow(() -> new RefusedException(
                RefusalReason.NAME_NOT_ALLOWED, request.node() + " is not an inventory host"));
        if (parts.revoked().test(request.lineage())) {
            throw new RefusedException(RefusalReason.REVOKED, request.lineage() + " is revoked; it is never renewed");
        }
        rules.clockSkew().check(request.node(), parts.reportedClockOffset().apply(request.node()));
        return node;
    }

    private CertIssued x509(CertRequest request, NodeIdentity node, Instant now) {
        Csr csr = Csr.parse(request.csrPem());
        List<String> requested = new ArrayList<>(request.names() == null ? List.of() : request.names());
        csr.requestedNames().stream().filter(n -> !requested.contains(n)).forEach(requested::add);
        List<String> names = NamePolicy.check(node, requested);
        LifetimePolicy.Window window = rules.x509Lifetime().window(request.requestedLifetimeSeconds(), now);
        EnrolmentToken token = null;
        if (request.kind() == CertKind.ENROLL) {
            token = parts.tokens().verify(request.token(), request.node(), now);
        } else {
            PublicKey current = checkProof(request, now, true, csr.publicKey());
            // checkProof hands back the CSR's own key object exactly when the certificate certifies that key.
            if (!request.rekey() && current != csr.publicKey()) {
                throw new RefusedException(RefusalReason.BAD_REQUEST,
                        "the CSR has a new key but the request does not say rekey");
            }
        }
        if (token != null) {
            parts.tokens().consume(token);
        }
        CertificateAuthority.Signed leaf = parts.x509().sign(new CertificateAuthority.LeafSpec(csr.publicKey(),
                request.node(), request.lineage(), names.stream().filter(n -> !Names.isIpLiteral(n)).toList(),
                names.stream().filter(Names::isIpLiteral).toList(), window.notBefore(), window.notAfter()));
        return new CertIssued(request.requestId(), request.node(), request.lineage(), request.service(),
                request.kind(), leaf.serial().toString(16), leaf.pem(), parts.x509().chainPem(),
                window.notBefore(), window.notAfter(), null, null, now);
    }

    private CertIssued ssh(CertRequest request, NodeIdentity node, Instant now) {
        try {
            SshCertificateAuthority.parsePublicKey(request.sshPublicKey());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.BAD_REQUEST, "sshPublicKey: " + e.getMessage());
        }
        LifetimePolicy.Window window = rules.sshLifetime().window(request.requestedLifetimeSeconds(), now);
        EnrolmentToken token = null;
        if (request.proof() != null) {
            checkProof(request, now, false, null);
        } else {
            token = parts.tokens().verify(request.token(), request.node(), now);
        }
        boolean host = request.kind() == CertKind.SSH_HOST;
        if (token != null) {
            parts.tokens().consume(token);
        }
        SshCertificateAuthority ca = host ? parts.sshHosts() : parts.sshUsers();
        SshCertificateAuthority.Signed certificate = ca.sign(new SshCertificateAuthority.Spec(request.sshPublicKey(),
                request.lineage() + " " + request.requestId(),
                host ? SshPrincipals.host(node) : SshPrincipals.rootUser(node), window.notBefore(), window.notAfter()));
        return new CertIssued(request.requestId(), request.node(), request.lineage(), request.service(),
                request.kind(), certificate.serialHex(), null, null, window.notBefore(), window.notAfter(),
                certificate.certificate(), null, now);
    }

    /**
     * Proof of possession: the presented certificate is ours, names this node (and, for a renewal,
     * this lineage), is renewable under the policy, and its key signed the request. Returns that
     * key: {@code csrKey} itself when the certificate certifies the same key (so the proof is
     * verified with the object the CSR was, reusing its precomputed multiples), else a key of its own.
     */
    private PublicKey checkProof(CertRequest request, Instant now, boolean sameLineage, PublicKey csrKey) {
        CertRequest.Proof proof = request.proof();
        if (proof == null || proof.currentCertificatePem() == null || proof.signature() == null) {
            throw new RefusedException(RefusalReason.PROOF_INVALID,
                    "a renewal needs proof: the current certificate and a signature with its key");
        }
        X509CertificateHolder current;
        try {
            current = Pem.holder(proof.currentCertificatePem());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.PROOF_INVALID, "current certificate: " + e.getMessage());
        }
        if (!parts.x509().signed(current)) {
            throw new RefusedException(RefusalReason.PROOF_INVALID, "the current certificate was not issued by this CA");
        }
        String node = attribute(current.getSubject(), BCStyle.CN);
        String lineage = attribute(current.getSubject(), BCStyle.OU);
        if (!request.node().equals(node) || (sameLineage && !request.lineage().equals(lineage))) {
            throw new RefusedException(RefusalReason.PROOF_INVALID, "the current certificate is for " + lineage
                    + " of " + node + ", not " + request.lineage());
        }
        PublicKey key = keyOf(current, csrKey);
        if (!verifies(key, request.proofMaterial(), proof.signature())) {
            throw new RefusedException(RefusalReason.PROOF_INVALID,
                    "the proof signature does not verify with the current certificate's key");
        }
        String serial = current.getSerialNumber().toString(16);
        rules.renewal().check(lineage, parts.revoked().test(lineage), serial, current.getNotAfter().toInstant(),
                parts.inventory().newestSerial(lineage).orElse(null), now);
        return key;
    }

    /** The key {@code certificate} certifies: {@code candidate} when it is that key, else read from it. */
    private static PublicKey keyOf(X509CertificateHolder certificate, PublicKey candidate) {
        try {
            byte[] certified = certificate.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
            if (candidate != null && Arrays.equals(certified, candidate.getEncoded())) {
                return candidate;
            }
            return EcCrypto.publicKey(certificate.getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new RefusedException(RefusalReason.PROOF_INVALID, "the current certificate's key cannot be read: "
                    + e.getMessage());
        }
    }

    private static boolean verifies(PublicKey key, byte[] material, String signatureBase64) {
        try {
            Signature signature = EcCrypto.signature(EcCrypto.signatureFor(key));
            signature.initVerify(key);
            signature.update(material);
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String attribute(X500Name x500, ASN1ObjectIdentifier attribute) {
        RDN[] rdns = x500.getRDNs(attribute);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
