package net.goldentooth.provisioner.api;

/** A job id this provisioner does not know: 404. */
public class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(String jobId) {
        super("unknown job id '" + jobId + "'");
    }
}
