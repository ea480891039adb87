package net.goldentooth.provisioner.api;

import java.util.List;

/** A query parameter or header that is out of range: 400 with the message and hints. */
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
