package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A node agent asks pki-service for a certificate, on {@code cert.requested} (key: node). The
 * private key never leaves the node: an X.509 request carries a PKCS#10 CSR, an SSH request the
 * OpenSSH public key line. The answer comes on {@code cert.issued} under
 * {@link net.goldentooth.events.NodeRouting#lineageKey(String, String)}.
 *
 * <p>Authorisation depends on {@code kind}: {@link CertKind#ENROLL} carries a one-time
 * enrolment {@code token} minted by the provisioner; {@link CertKind#RENEW} (and the SSH kinds)
 * carry a {@link Proof} made with the key of the node's current certificate of the lineage
 * named in the proof.
 *
 * @param requestId               unique per request; echoed in {@link CertIssued#requestId()}
 * @param lineage                 the series of certificates this one continues, {@code <node>/<service>}
 * @param service                 the service the certificate is for ({@code consul}, {@code canary}, ...)
 * @param csrPem                  PKCS#10 CSR in PEM, for {@code enroll} and {@code renew}
 * @param sshPublicKey            OpenSSH public key line, for {@code ssh-host} and {@code ssh-user}
 * @param token                   enrolment token, for {@code enroll}
 * @param proof                   proof of possession of the current certificate, for {@code renew}
 *                                and the SSH kinds
 * @param requestedLifetimeSeconds null for the default lifetime
 * @param names                   requested subject alternative names (DNS names and IP addresses)
 * @param rekey                   true when the CSR's key differs from the current certificate's key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertRequest(
        String requestId,
        String node,
        String lineage,
        String service,
        CertKind kind,
        String csrPem,
        String sshPublicKey,
        String token,
        Proof proof,
        Long requestedLifetimeSeconds,
        List<String> names,
        boolean rekey,
        Instant at) {

    /**
     * Proof of possession of the current certificate.
     *
     * @param currentCertificatePem the node's current certificate of the lineage, PEM
     * @param signature             base64 of the signature, by that certificate's private key
     *                              (SHA256withECDSA for our EC keys), over {@link #proofMaterial()}
     */
    public record Proof(String currentCertificatePem, String signature) {
    }

    /** The key material being certified: the CSR for X.509 kinds, the public key line for SSH kinds. */
    public String subjectMaterial() {
        return csrPem != null ? csrPem : sshPublicKey;
    }

    /**
     * The exact bytes a {@link Proof} signs: UTF-8 of {@code requestId + "\n" + sha256hex(material)},
     * where material is {@link #subjectMaterial()}. Binding the request id stops a captured proof
     * from being replayed with another request; binding the material stops it from certifying
     * another key.
     */
    public byte[] proofMaterial() {
        return proofMaterial(requestId, subjectMaterial());
    }

    public static byte[] proofMaterial(String requestId, String subjectMaterial) {
        return (requestId + "\n" + sha256Hex(subjectMaterial == null ? "" : subjectMaterial))
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
