package net.goldentooth.provisioner.jobs;

import net.goldentooth.events.job.JobProgress;

/**
 * Where the progress of the tasks the provisioner runs itself goes: {@code job.progress}, like an
 * agent's. It is folded when the progress consumer reads it back, exactly as an agent's would be.
 */
public interface ProgressSink {

    /** Sends without waiting; a failure is the sink's to report (the target then ends by its deadline). */
    void publish(JobProgress progress);
}
