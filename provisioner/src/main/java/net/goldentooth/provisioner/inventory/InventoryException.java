package net.goldentooth.provisioner.inventory;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/** An inventory file that cannot be used; the message names the file and the problem. Permanent. */
public class InventoryException extends ProvisionerException {
    public InventoryException(String message) {
        super(ErrorKind.INVALID, message, List.of(), Map.of(), null);
    }

    public InventoryException(String message, Throwable cause) {
        super(ErrorKind.INVALID, message, List.of(), Map.of(), cause);
    }
}
