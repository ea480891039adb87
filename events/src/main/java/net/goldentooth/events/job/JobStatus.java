package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The authoritative state of a job, on the compacted {@code job.status} topic (key: job id) and
 * from {@code GET /jobs/{id}}. The provisioner rebuilds its job table from this topic on restart.
 *
 * @param targets  per-target state, keyed by node name
 * @param deadline when targets that have not finished become {@code timed-out} or {@code unreachable}
 * @param revision grows by one with every published change of this job
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        String jobId,
        JobRequest request,
        JobState state,
        Instant createdAt,
        Instant updatedAt,
        Instant deadline,
        Map<String, TargetStatus> targets,
        long revision) {
}
