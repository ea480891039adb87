package net.goldentooth.cli.client;

import java.util.List;

/**
 * The provisioner answered 4xx: the request itself was wrong (exit code 2). The message and hints
 * come from its {@code ApiError} body and are meant for the user.
 */
public final class RequestRefusedException extends RuntimeException {
    private final int status;
    private final List<String> hints;

    public RequestRefusedException(int status, String message, List<String> hints) {
        super(message);
        this.status = status;
        this.hints = List.copyOf(hints);
    }

    public int status() {
        return status;
    }

    public List<String> hints() {
        return hints;
    }
}
