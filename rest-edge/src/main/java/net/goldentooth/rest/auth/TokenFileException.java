package net.goldentooth.rest.auth;

/** The tokens file cannot be used; the message names the configuration key, the file and the line. */
public final class TokenFileException extends RuntimeException {
    public TokenFileException(String message) {
        super(message);
    }

    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
