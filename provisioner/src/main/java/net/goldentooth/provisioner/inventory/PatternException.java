package net.goldentooth.provisioner.inventory;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/**
 * A host pattern that selects nothing usable; the message is safe to show the caller and
 * {@code knownGroups} lets the caller suggest a correct one. Permanent.
 */
public class PatternException extends ProvisionerException {

    public PatternException(String message, List<String> knownGroups) {
        super(ErrorKind.INVALID, message, knownGroups, Map.of(), null);
    }

    public List<String> knownGroups() {
        return hints();
    }
}
