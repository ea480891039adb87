package net.goldentooth.provisioner.jobs;

import java.util.List;
import net.goldentooth.events.job.JobProgress;

/**
 * Told what the job table just did, for live streams. Called on the thread that folded or ticked:
 * implementations hand the work off and return at once.
 */
public interface JobWatcher {

    /** Output records folded, in order. */
    void progress(List<JobProgress> output);

    /** A job's status changed; read it through {@link JobLookup} when needed. */
    void changed(String jobId);
}
