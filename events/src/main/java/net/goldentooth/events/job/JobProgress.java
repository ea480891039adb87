package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What an agent (or the provisioner's SSH executor) reports about a task on {@code job.progress}.
 * Within a task, {@code seq} starts at 0 and grows by one per record, so consumers can order
 * output chunks and drop duplicates.
 *
 * @param stream     {@code stdout} or {@code stderr}, for {@link ProgressKind#OUTPUT}
 * @param data       the output chunk, for {@link ProgressKind#OUTPUT}
 * @param exitCode   for {@link ProgressKind#FINISHED}; null when the process was killed by the timeout
 * @param durationMs for {@link ProgressKind#FINISHED}
 * @param truncated  for {@link ProgressKind#FINISHED}: output went over the task's cap
 * @param timedOut   for {@link ProgressKind#FINISHED}: the agent killed the process tree at the timeout
 * @param reason     for {@link ProgressKind#REJECTED}: why the task was refused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobProgress(
        String jobId,
        String taskId,
        String node,
        ProgressKind kind,
        long seq,
        Instant at,
        String stream,
        String data,
        Integer exitCode,
        Long durationMs,
        Boolean truncated,
        Boolean timedOut,
        String reason) {

    public static JobProgress of(Task task, ProgressKind kind, long seq, Instant at) {
        return new JobProgress(task.jobId(), task.taskId(), task.node(), kind, seq, at,
                null, null, null, null, null, null, null);
    }

    public JobProgress withOutput(String stream, String data) {
        return new JobProgress(jobId, taskId, node, kind, seq, at, stream, data, exitCode, durationMs, truncated,
                timedOut, reason);
    }

    public JobProgress withResult(Integer exitCode, long durationMs, boolean truncated, boolean timedOut) {
        return new JobProgress(jobId, taskId, node, kind, seq, at, stream, data, exitCode, durationMs, truncated,
                timedOut, reason);
    }

    public JobProgress withReason(String reason) {
        return new JobProgress(jobId, taskId, node, kind, seq, at, stream, data, exitCode, durationMs, truncated,
                timedOut, reason);
    }
}
