package net.goldentooth.pki.policy;

import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.pki.errors.PkiError;

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

    /** The refusal as the error model has it: its reason and this message, which is written for the node. */
    public PkiError.Refused error() {
        return new PkiError.Refused(reason, getMessage());
    }
}
