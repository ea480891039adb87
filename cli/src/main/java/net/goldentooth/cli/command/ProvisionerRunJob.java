package net.goldentooth.cli.command;

import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Starts and follows a job the provisioner runs itself (a playbook, the Kubernetes upgrade): one
 * target, so {@code --concurrency} and {@code --ssh} make no sense, and a longer default timeout
 * than a command's.
 */
final class ProvisionerRunJob {

    private ProvisionerRunJob() {
    }

    static int run(RootCommand root, CommandSpec spec, RunOptions options, JobKind kind, String pattern,
                   String command, String stdin, int defaultTimeoutSeconds) {
        options.validate(spec);
        if (options.concurrency != null || options.sshFallback) {
            throw new ParameterException(spec.commandLine(), "--concurrency and --ssh do not apply to "
                    + kind.wire() + " jobs");
        }
        JobRequest request = new JobRequest(options.idempotencyKey, kind, pattern, command, stdin,
                options.timeoutSeconds == null ? defaultTimeoutSeconds : options.timeoutSeconds, null, false,
                Users.current(root.context()));
        return new JobRunner(root.client(spec), root.context(), options).run(request).code();
    }
}
