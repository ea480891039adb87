package net.goldentooth.storage.nfs;

/** An NFS export declaration that cannot be used; the message names the entry and the reason. */
public final class NfsConfigException extends RuntimeException {
    public NfsConfigException(String message) {
        super(message);
    }
}
