package net.goldentooth.provisioner.jobs;

import java.time.Duration;
import java.util.List;
import net.goldentooth.events.job.JobRequest;

/**
 * A validated request, ready to start: the targets its pattern selects, in inventory order.
 *
 * @param request the request with its effective timeout filled in, as it will be recorded
 */
public record JobPlan(JobRequest request, List<String> targets, Duration timeout, Concurrency concurrency) {
}
