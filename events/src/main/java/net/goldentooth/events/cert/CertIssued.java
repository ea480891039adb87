package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * pki-service's answer to a {@link CertRequest}, on the compacted, node-routed {@code cert.issued}.
 * The record key is {@link net.goldentooth.events.NodeRouting#lineageKey(String, String)}
 * ({@code <node>|<lineage>}), so compaction keeps the newest answer per lineage, and the partition
 * is set explicitly to {@link net.goldentooth.events.NodeRouting#partitionFor(String, int)} of the
 * node, so an agent reads one partition and filters on the key prefix {@code <node>|}.
 *
 * <p>Exactly one of "a certificate" (serial, PEMs, validity; or {@code sshCertificate}) and
 * {@code refusal} is present.
 *
 * @param serial          certificate serial in lower-case hex
 * @param certificatePem  the leaf, PEM, for X.509 kinds
 * @param chainPem        intermediate then root, PEM, for X.509 kinds
 * @param sshCertificate  OpenSSH certificate line ({@code ...-cert-v01@openssh.com AAAA...}), for SSH kinds
 * @param refusal         why nothing was issued; null when a certificate was issued
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertIssued(
        String requestId,
        String node,
        String lineage,
        String service,
        CertKind kind,
        String serial,
        String certificatePem,
        String chainPem,
        Instant notBefore,
        Instant notAfter,
        String sshCertificate,
        Refusal refusal,
        Instant at) {

    /**
     * A typed reason and a human-readable message, safe to show the node (never an exception's
     * text).
     *
     * @param fault null when pki-service decided to refuse; set when it failed handling the
     *              request (then retryable, and {@code reason} stays one older readers know)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Refusal(RefusalReason reason, String message, RefusalFault fault) {

        /** A refusal pki-service decided on. */
        public Refusal(RefusalReason reason, String message) {
            this(reason, message, null);
        }

        /** Whether the same request may succeed later without change: pki-service failed, it did not decide. */
        @JsonIgnore
        public boolean retryable() {
            return fault != null;
        }
    }

    @JsonIgnore
    public boolean issued() {
        return refusal == null;
    }

    public static CertIssued refused(CertRequest request, RefusalReason reason, String message, Instant at) {
        return new CertIssued(request.requestId(), request.node(), request.lineage(), request.service(),
                request.kind(), null, null, null, null, null, null, new Refusal(reason, message), at);
    }
}
