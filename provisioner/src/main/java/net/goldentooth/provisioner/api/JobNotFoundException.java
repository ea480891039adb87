package net.goldentooth.provisioner.api;

import java.util.List;
import java.util.Map;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;

/** A job id this provisioner does not know: 404. */
public class JobNotFoundException extends ProvisionerException {
    public JobNotFoundException(String jobId) {
        super(ErrorKind.NOT_FOUND, "unknown job id '" + jobId + "'", List.of(), Map.of("jobId", jobId), null);
    }
}
