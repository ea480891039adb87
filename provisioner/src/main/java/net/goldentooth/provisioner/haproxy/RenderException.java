package net.goldentooth.provisioner.haproxy;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/** The inventory cannot be rendered: a group is missing or empty, or a value is unsafe to write. */
public class RenderException extends ProvisionerException {

    public RenderException(String message, List<String> hints) {
        super(ErrorKind.CONFLICT, message, hints, Map.of(), null);
    }
}
