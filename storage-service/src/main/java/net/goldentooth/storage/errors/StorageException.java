package net.goldentooth.storage.errors;

/** The exception every {@link StorageError} travels in; its message is the error's log text. */
public abstract class StorageException extends RuntimeException {

    protected StorageException(String message) {
        super(message);
    }

    /** The typed error: kind, retryable or not, the caller's message and hints. */
    public abstract StorageError error();
}
