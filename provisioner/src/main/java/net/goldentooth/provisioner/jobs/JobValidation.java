package net.goldentooth.provisioner.jobs;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobKind;

/** Checks a {@link JobRequest} and resolves its targets. Every message names the field at fault. */
public final class JobValidation {

    /** The one target of jobs the provisioner runs itself; never dispatched to an agent. */
    public static final String PROVISIONER_TARGET = "provisioner";
    /** Kinds whose single target is {@link #PROVISIONER_TARGET}. */
    public static final java.util.Set<JobKind> LOCAL_KINDS = java.util.EnumSet.of(JobKind.PLAYBOOK, JobKind.K8S_UPGRADE);

    private JobValidation() {
    }

    /**
     * @param resolveTargets the host pattern resolver; it throws its own typed error for a pattern
     *                       that selects nothing
     */
    public static JobPlan validate(JobRequest request, EngineSettings settings,
                                   Function<String, List<String>> resolveTargets) {
        if (request == null) {
            throw new JobRequestException("request body is required");
        }
        if (request.pattern() == null || request.pattern().isBlank()) {
            throw new JobRequestException("pattern is empty; use 'all' or a group or host name");
        }
        if (request.kind() == null) {
            throw new JobRequestException("kind is required: one of " + kinds(), List.of(kinds()));
        }
        if (request.kind() != JobKind.BOOTSTRAP && (request.command() == null || request.command().isBlank())) {
            throw new JobRequestException("command is empty");
        }
        Duration timeout = settings.defaultTimeout();
        if (request.timeoutSeconds() != null) {
            int seconds = request.timeoutSeconds();
            if (seconds < 1 || seconds > EngineSettings.MAX_TIMEOUT_SECONDS) {
                throw new JobRequestException("timeoutSeconds " + seconds + " is out of range 1.."
                        + EngineSettings.MAX_TIMEOUT_SECONDS, List.of("1.." + EngineSettings.MAX_TIMEOUT_SECONDS));
            }
            timeout = Duration.ofSeconds(seconds);
        }
        Concurrency concurrency = Concurrency.parse(request.concurrency());
        List<String> targets = resolveTargets.apply(request.pattern().strip());
        if (LOCAL_KINDS.contains(request.kind())) {
            // The pattern was checked above (it is the playbook's --limit, or the nodes to upgrade);
            // the job itself has one target, the provisioner, which runs it.
            targets = List.of(PROVISIONER_TARGET);
        }
        JobRequest recorded = new JobRequest(request.idempotencyKey(), request.kind(), request.pattern().strip(),
                request.command(), request.stdin(), (int) timeout.getSeconds(), request.concurrency(),
                request.sshFallback(), request.requestedBy());
        return new JobPlan(recorded, targets, timeout, concurrency);
    }

    private static String kinds() {
        return String.join(", ", java.util.Arrays.stream(JobKind.values()).map(JobKind::wire).toList());
    }
}
