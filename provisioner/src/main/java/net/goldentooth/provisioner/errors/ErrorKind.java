package net.goldentooth.provisioner.errors;

/**
 * What kind of failure a {@link ProvisionerException} is, in the terms a caller acts on. The kind,
 * not the message, decides whether trying again can help; REST edges map it to a status.
 */
public enum ErrorKind {
    /** The request can never succeed as sent (a field, a pattern, a name); the message says which. */
    INVALID(false),
    /** What the request names does not exist (a job id, a Kubernetes node). */
    NOT_FOUND(false),
    /** The request is well formed but the state does not allow it (an upgrade not at its gate, an unrenderable inventory). */
    CONFLICT(false),
    /** A system the provisioner depends on failed or answered wrongly (the Kubernetes API); later may work. */
    UPSTREAM(true),
    /** The provisioner could not finish now (interrupted, the broker did not acknowledge); later may work. */
    UNAVAILABLE(true);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same request may succeed later; false means fix the request or the state first. */
    public boolean retryable() {
        return retryable;
    }
}
