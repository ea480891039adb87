package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/**
 * Set on a {@link CertIssued.Refusal} when pki-service did not decide the request but failed
 * while handling it. Such a refusal is retryable: the same request may succeed later, and its
 * message names only an incident reference (the cause stays in pki-service's log).
 *
 * <p>Readers older than this field see the refusal's {@link RefusalReason}, which stays one they
 * know ({@code bad-request}), and ignore the field.
 */
public enum RefusalFault {
    /** pki-service failed unexpectedly while handling the request; retry later. */
    INTERNAL_ERROR;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static RefusalFault fromWire(String value) {
        return WireNames.parse(RefusalFault.class, value);
    }
}
