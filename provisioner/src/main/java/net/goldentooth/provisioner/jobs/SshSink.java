package net.goldentooth.provisioner.jobs;

import net.goldentooth.events.job.Task;

/**
 * The provisioner's SSH executor as the job path sees it. It takes the tasks {@link JobDesk} routes
 * to it and reports on {@code job.progress} like an agent; it never decides which tasks it gets.
 */
public interface SshSink {

    /** Runs the task's command on its node over SSH; returns at once. */
    void command(Task task);

    /** Installs or updates the agent on the task's node over SSH; returns at once. */
    void bootstrap(Task task);
}
