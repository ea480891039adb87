package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** Why pki-service refused a {@link CertRequest}; carried in {@link CertIssued#refusal()}. */
public enum RefusalReason {
    /** A requested name is not one the policy grants to the node. */
    NAME_NOT_ALLOWED,
    /** The requested lifetime is beyond the maximum. */
    LIFETIME_TOO_LONG,
    /** The enrolment token is missing, malformed, badly signed, expired or for another node. */
    TOKEN_INVALID,
    /** The enrolment token was already used once. */
    TOKEN_REUSED,
    /** The renewal proof does not chain to this CA or its signature does not verify. */
    PROOF_INVALID,
    /** The current certificate expired longer ago than the renewal grace period. */
    EXPIRED_BEYOND_GRACE,
    /** The current certificate is expired and a newer one of the lineage exists. */
    NOT_NEWEST,
    /** The lineage was revoked; it is never renewed again. */
    REVOKED,
    /** The node's last reported clock offset is beyond the threshold. */
    CLOCK_SKEW,
    /** The request itself is malformed: garbage CSR, bad CSR signature, missing field. */
    BAD_REQUEST;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static RefusalReason fromWire(String value) {
        return WireNames.parse(RefusalReason.class, value);
    }
}
