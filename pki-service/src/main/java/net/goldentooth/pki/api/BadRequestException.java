package net.goldentooth.pki.api;

import java.util.List;

/** Bad input to the REST API: 400 with the message and hints. */
public class BadRequestException extends RuntimeException {

    private final List<String> hints;

    public BadRequestException(String message, List<String> hints) {
        super(message);
        this.hints = List.copyOf(hints);
    }

    public List<String> hints() {
        return hints;
    }
}
