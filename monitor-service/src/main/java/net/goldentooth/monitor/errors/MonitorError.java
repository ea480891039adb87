package net.goldentooth.monitor.errors;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * monitor-service's one error model for what a caller is told. Each error has a {@link Kind}, is
 * retryable or permanent, and carries a message safe to show the caller and hints; details for
 * the log (a cause's text) are kept apart and never returned.
 */
public sealed interface MonitorError {

    /** What went wrong, in the terms a caller can act on. */
    enum Kind {
        /** The request itself is wrong; asking again unchanged gets the same answer. */
        INVALID_REQUEST,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The bus did not take a change; nothing changed and asking again may succeed. */
        BUS_UNAVAILABLE
    }

    Kind kind();

    /** Whether asking again unchanged may succeed. */
    default boolean retryable() {
        return kind() == Kind.BUS_UNAVAILABLE;
    }

    /** What the caller is told. */
    String safeMessage();

    /** What the caller may do instead. */
    List<String> hints();

    /** Facts for the log. */
    Map<String, String> details();

    /** A silence request that does not validate: every problem found. */
    record InvalidSilence(List<String> problems) implements MonitorError {
        public InvalidSilence {
            problems = List.copyOf(problems);
        }

        @Override
        public Kind kind() {
            return Kind.INVALID_REQUEST;
        }

        @Override
        public String safeMessage() {
            return "the silence is not valid: " + String.join("; ", problems);
        }

        @Override
        public List<String> hints() {
            return problems;
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    record UnknownSilence(String id) implements MonitorError {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }

        @Override
        public String safeMessage() {
            return "no silence '" + id + "'";
        }

        @Override
        public List<String> hints() {
            return List.of("GET /silences lists them");
        }

        @Override
        public Map<String, String> details() {
            return Map.of("id", String.valueOf(id));
        }
    }

    /**
     * @param what  the change that was not taken, e.g. {@code silence 7f3b}
     * @param cause why, for the log only
     */
    record BusUnavailable(String what, Throwable cause) implements MonitorError {
        public BusUnavailable {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Kind kind() {
            return Kind.BUS_UNAVAILABLE;
        }

        @Override
        public String safeMessage() {
            return what + " could not be stored on the bus; nothing changed";
        }

        @Override
        public List<String> hints() {
            return List.of("retry later");
        }

        @Override
        public Map<String, String> details() {
            return Map.of("what", String.valueOf(what), "cause", String.valueOf(cause));
        }
    }

    /** The exception a {@link MonitorError} travels in; its message is the error's caller-safe text. */
    final class Failure extends RuntimeException {
        private final MonitorError error;

        public Failure(MonitorError error) {
            super(error.safeMessage(), error instanceof BusUnavailable unavailable ? unavailable.cause() : null);
            this.error = error;
        }

        public MonitorError error() {
            return error;
        }
    }
}
