package net.goldentooth.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobState;

/**
 * One row of {@code GET /jobs}: a job without its per-target output.
 *
 * @param targetStates how many targets are in each target state (wire names as keys)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(String jobId, JobKind kind, String pattern, String command, JobState state,
                         String requestedBy, Instant createdAt, Instant updatedAt, int targets,
                         Map<String, Integer> targetStates) {
}
