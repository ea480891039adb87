package net.goldentooth.provisioner.inventory;

/** An inventory file that cannot be used; the message names the file and the problem. Permanent. */
public class InventoryException extends RuntimeException {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
