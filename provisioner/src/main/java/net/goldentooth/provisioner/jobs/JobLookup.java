package net.goldentooth.provisioner.jobs;

import java.util.Optional;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;

/** Read access to the job table, for whoever serves or follows a job without changing it. */
public interface JobLookup {

    /** A snapshot of the job; empty for an unknown id. */
    Optional<JobStatus> status(String jobId);

    /** The job's state without a snapshot (cheap for big jobs); null for an unknown id. */
    JobState stateOf(String jobId);
}
