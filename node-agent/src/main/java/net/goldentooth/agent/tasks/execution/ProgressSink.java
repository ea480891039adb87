package net.goldentooth.agent.tasks.execution;

import net.goldentooth.events.job.JobProgress;

/** Where progress records go ({@code job.progress}, or a list in tests). */
@FunctionalInterface
public interface ProgressSink {

    /** @param key the record key: the job id, or the task's record key when a rejected task has no job id */
    void emit(String key, JobProgress progress);
}
