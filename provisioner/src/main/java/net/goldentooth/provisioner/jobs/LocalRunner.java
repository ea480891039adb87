package net.goldentooth.provisioner.jobs;

import java.util.function.Consumer;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;

/**
 * Runs the single target of a job the provisioner executes itself (a playbook, the Kubernetes
 * upgrade) instead of an agent. It reports exactly as an agent does — {@code accepted},
 * {@code started}, output, {@code finished} on {@code job.progress} with a per-task {@code seq} —
 * so the fold, the history and the live stream are the same path as for every other job.
 */
public interface LocalRunner {

    /** The job kind this runner takes; one runner per kind. */
    JobKind kind();

    /**
     * Checks what {@link JobValidation} cannot know (a playbook
     * exists, a version is well formed) before the job is created.
     *
     * @throws RuntimeException a typed error the REST layer answers with a 4xx
     */
    void validate(JobRequest request);

    /** Starts the task in the background and returns at once; {@code progress} publishes on {@code job.progress}. */
    void start(Task task, JobRequest request, Consumer<JobProgress> progress);

    /**
     * After a provisioner restart the job's target was still running: the runner continues it if
     * it can, or finishes it with the reason it cannot. Seq numbers continue after the status's
     * {@code lastSeq}.
     */
    void resume(JobStatus status, Consumer<JobProgress> progress);

    /**
     * Another instance owns the job now (its partition moved in a rebalance, or this instance lost
     * its group session): stop driving it, report nothing more, and return once it has stopped (or
     * a few seconds have passed), so that the new owner's {@link #resume} is its only driver.
     */
    void release(String jobId);
}
