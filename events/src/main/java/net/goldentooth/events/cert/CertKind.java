package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** What a {@link CertRequest} asks for. */
public enum CertKind {
    /** A first X.509 certificate for a lineage, authorised by a one-time enrolment token. */
    ENROLL,
    /** A further X.509 certificate for a lineage, authorised by proof of possession of the current one. */
    RENEW,
    /** An OpenSSH host certificate for the node's host key. */
    SSH_HOST,
    /** An OpenSSH user certificate for root on the node. */
    SSH_USER;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static CertKind fromWire(String value) {
        return WireNames.parse(CertKind.class, value);
    }
}
