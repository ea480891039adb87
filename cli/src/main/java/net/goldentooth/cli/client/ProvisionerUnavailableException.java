package net.goldentooth.cli.client;

/** The provisioner could not be reached, broke the connection, or answered 5xx (exit code 5). */
public final class ProvisionerUnavailableException extends RuntimeException {
    public ProvisionerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProvisionerUnavailableException(String message) {
        super(message);
    }
}
