package net.goldentooth.pki.authority;

/** A CSR that cannot be parsed, does not verify, or asks for something this CA never certifies. */
public class InvalidCsrException extends RuntimeException {

    public InvalidCsrException(String message) {
        super(message);
    }
}
