package net.goldentooth.provisioner.errors;

import java.util.List;
import java.util.Map;

/**
 * The provisioner's one error shape: a {@link ErrorKind} (which says retryable or permanent), a
 * message that is safe to show the caller ({@link #getMessage()}, never an exception's own text
 * from below), hints the caller can act on, and details for the log kept apart from both the
 * message and the cause.
 *
 * <p>Not {@code sealed}: its subclasses live in the packages whose failures they describe, and a
 * sealed hierarchy spans packages only inside a named module, which the services are not. The
 * closed set is the {@link ErrorKind}.
 */
public abstract class ProvisionerException extends RuntimeException {

    private final ErrorKind kind;
    private final List<String> hints;
    private final Map<String, String> details;

    /**
     * @param message caller-safe: names what was wrong with the request or the state
     * @param hints   what would have been valid, e.g. the known groups; may be empty
     * @param details context for the log (node, upstream status), never shown to the caller
     * @param cause   the underlying failure, or null
     */
    protected ProvisionerException(ErrorKind kind, String message, List<String> hints, Map<String, String> details,
                                   Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hints = List.copyOf(hints);
        this.details = Map.copyOf(details);
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    public List<String> hints() {
        return hints;
    }

    public Map<String, String> details() {
        return details;
    }
}
