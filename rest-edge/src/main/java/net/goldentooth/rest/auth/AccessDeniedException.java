package net.goldentooth.rest.auth;

/** A resource refused an authenticated caller whose role is too low for what the body asks (403). */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
