package net.goldentooth.pki.policy;

import net.goldentooth.events.cert.RefusalReason;

/** A request the CA will not serve, with the typed reason that goes out on {@code cert.issued}. */
public class RefusedException extends RuntimeException {

    private final RefusalReason reason;

    public RefusedException(RefusalReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RefusalReason reason() {
        return reason;
    }
}
