package net.goldentooth.storage.zfs;

/** Output of a zfs command that does not have the expected shape; permanent, never retried blindly. */
public final class ZfsOutputException extends RuntimeException {
    public ZfsOutputException(String message) {
        super(message);
    }
}
