package net.goldentooth.provisioner.ansible;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/** A playbook request the caller got wrong: an invalid or unknown name, a malformed extra variable. */
public class PlaybookException extends ProvisionerException {

    public PlaybookException(String message, List<String> hints) {
        super(ErrorKind.INVALID, message, hints, Map.of(), null);
    }
}
