package net.goldentooth.storage.topology;

/** An inventory this service cannot use; the message names the file and the problem. */
public final class InventoryException extends RuntimeException {
    public InventoryException(String message) {
        super(message);
    }
}
