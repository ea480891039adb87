package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One target's state within a job, as folded by the provisioner.
 *
 * @param via    {@code agent} or {@code ssh}
 * @param reason why a target failed, was rejected, timed out or is unreachable
 * @param stdout collected standard output (capped by the task's output limit)
 * @param stderr collected standard error (capped likewise)
 * @param lastSeq the highest {@code job.progress} seq folded for this target's task (null before the
 *               first), so that folding is idempotent across restarts and a client can resume a stream
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetStatus(
        String node,
        TargetState state,
        String taskId,
        String via,
        Integer exitCode,
        Long durationMs,
        String reason,
        String stdout,
        String stderr,
        boolean truncated,
        Instant updatedAt,
        Long lastSeq) {
}
