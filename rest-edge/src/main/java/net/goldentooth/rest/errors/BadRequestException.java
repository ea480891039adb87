package net.goldentooth.rest.errors;

import java.util.List;

/**
 * Bad input a resource found itself (a parameter out of range, a field missing from a body that
 * parsed): answered 400 {@code ApiError} with the message and the hints, by {@link RestErrorMappers}.
 * The message is shown to the caller, so it names the field or value and never carries internals.
 */
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
