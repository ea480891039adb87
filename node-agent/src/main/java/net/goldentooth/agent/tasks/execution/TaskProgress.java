package net.goldentooth.agent.tasks.execution;

import java.time.Clock;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;

/**
 * The progress records of one task, numbered: {@code seq} starts at 0 and grows by one per record
 * across every kind (ACCEPTED is 0, STARTED 1, output chunks, FINISHED last), so the provisioner
 * can order them and drop duplicates by (taskId, seq).
 */
public final class TaskProgress {

    private final Task task;
    private final ProgressSink sink;
    private final Clock clock;
    private long nextSeq;

    public TaskProgress(Task task, ProgressSink sink, Clock clock) {
        this.task = task;
        this.sink = sink;
        this.clock = clock;
    }

    public Task task() {
        return task;
    }

    public void accepted() {
        emit(ProgressKind.ACCEPTED, null);
    }

    public void started() {
        emit(ProgressKind.STARTED, null);
    }

    public void output(String stream, String data) {
        emit(ProgressKind.OUTPUT, p -> p.withOutput(stream, data));
    }

    public void finished(Integer exitCode, long durationMs, boolean truncated, boolean timedOut) {
        emit(ProgressKind.FINISHED, p -> p.withResult(exitCode, durationMs, truncated, timedOut));
    }

    private synchronized void emit(ProgressKind kind, java.util.function.UnaryOperator<JobProgress> detail) {
        JobProgress progress = JobProgress.of(task, kind, nextSeq++, clock.instant());
        sink.emit(task.jobId(), detail == null ? progress : detail.apply(progress));
    }
}
