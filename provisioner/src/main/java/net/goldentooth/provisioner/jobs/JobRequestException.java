package net.goldentooth.provisioner.jobs;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/** A job request that can never succeed as sent. The message names the field and is safe to show. Permanent. */
public class JobRequestException extends ProvisionerException {

    public JobRequestException(String message, List<String> hints) {
        super(ErrorKind.INVALID, message, hints, Map.of(), null);
    }

    public JobRequestException(String message) {
        this(message, List.of());
    }
}
