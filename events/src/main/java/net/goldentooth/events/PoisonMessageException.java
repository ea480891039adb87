package net.goldentooth.events;

/**
 * A record that can never be handled, whatever the retry: malformed JSON, a wrong event type, a
 * missing required field. Consumers send it to {@code <topic>.dlq} and go on.
 */
public class PoisonMessageException extends RuntimeException {
    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }

    public PoisonMessageException(String message) {
        super(message);
    }
}
