package net.goldentooth.provisioner.ssh;

/** Why an SSH connection could not be used; each kind becomes its own target state and reason. */
public final class SshFailure extends Exception {

    public enum Kind {
        /** No TCP connection or handshake: refused, no route, timeout, the peer closed. Nothing ran. */
        UNREACHABLE,
        /** The host is not in known_hosts and the inventory does not allow first-contact trust. */
        UNKNOWN_HOST,
        /** known_hosts holds a different key for the host: possibly a reinstall, possibly an attack. */
        HOST_KEY_CHANGED,
        /** The server refused our key or certificate. */
        AUTH_FAILED,
        /** Our own key or certificate could not be read. */
        CREDENTIALS_UNREADABLE
    }

    private final Kind kind;

    public SshFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
