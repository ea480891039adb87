package net.goldentooth.provisioner.jobs;

import java.time.Clock;
import java.util.function.Consumer;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;

/**
 * The progress records of one locally run task, numbered as an agent numbers them: {@code seq}
 * grows by one per record from where the task stands. Thread-safe.
 */
public final class LocalProgress {

    private final String jobId;
    private final String taskId;
    private final String node;
    private final Clock clock;
    private final Consumer<JobProgress> sink;
    private long nextSeq;

    /** @param nextSeq 0 for a new task, the status's {@code lastSeq + 1} for a resumed one */
    public LocalProgress(String jobId, String taskId, String node, long nextSeq, Clock clock,
                         Consumer<JobProgress> sink) {
        this.jobId = jobId;
        this.taskId = taskId;
        this.node = node;
        this.nextSeq = nextSeq;
        this.clock = clock;
        this.sink = sink;
    }

    public String jobId() {
        return jobId;
    }

    public synchronized void accepted() {
        sink.accept(next(ProgressKind.ACCEPTED));
    }

    public synchronized void started() {
        sink.accept(next(ProgressKind.STARTED));
    }

    /** Nothing is sent for an empty chunk. */
    public synchronized void output(String stream, String data) {
        if (data != null && !data.isEmpty()) {
            sink.accept(next(ProgressKind.OUTPUT).withOutput(stream, data));
        }
    }

    /** @param exitCode null when the run was killed */
    public synchronized void finished(Integer exitCode, long durationMs, boolean truncated, boolean timedOut) {
        sink.accept(next(ProgressKind.FINISHED).withResult(exitCode, durationMs, truncated, timedOut));
    }

    private JobProgress next(ProgressKind kind) {
        return new JobProgress(jobId, taskId, node, kind, nextSeq++, clock.instant(), null, null, null, null, null,
                null, null);
    }
}
