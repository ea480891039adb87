package net.goldentooth.cli.command;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of every command that starts a job. */
public final class RunOptions {

    private static final Pattern CONCURRENCY = Pattern.compile("([0-9]{1,9})(%?)");

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Per-target run time limit in seconds (default: the provisioner's).")
    Integer timeoutSeconds;

    @Option(names = "--concurrency", paramLabel = "N|N%",
            description = "How many targets run at once: a number or a percentage (default: all).")
    String concurrency;

    @Option(names = "--ssh", description = "Run targets that have no live agent over SSH.")
    boolean sshFallback;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Run at most once per key: repeating the call follows the first job.")
    String idempotencyKey;

    @Option(names = "--tag", description = "Print lines as they arrive as '<node>: <line>', a summary on stderr.")
    boolean tag;

    @Option(names = "--json", description = "Print the final job status as JSON.")
    boolean json;

    @Option(names = "--each", description = "Print every target's result even when there are more than 100 "
            + "(by default a larger job prints its results grouped by identical output, at most 10 groups).")
    boolean each;

    /** Checks what the provisioner would refuse anyway, so the user hears it before a job exists. */
    void validate(CommandSpec spec) {
        if (tag && json) {
            throw new ParameterException(spec.commandLine(), "--tag and --json cannot be combined");
        }
        if (each && (tag || json)) {
            throw new ParameterException(spec.commandLine(), "--each cannot be combined with " + (tag ? "--tag" : "--json")
                    + ", which already prints every target");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        if (concurrency != null) {
            Matcher matcher = CONCURRENCY.matcher(concurrency);
            boolean percent = matcher.matches() && !matcher.group(2).isEmpty();
            long value = matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
            if (!matcher.matches() || value < 1 || (percent && value > 100)) {
                throw new ParameterException(spec.commandLine(), "--concurrency must be a number of targets (10) "
                        + "or a percentage from 1% to 100% (25%), got '" + concurrency + "'");
            }
        }
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--idempotency-key must not be blank");
        }
    }

    /**
     * @param keySuffix appended to the idempotency key when one invocation starts several jobs
     *                  (pipe), so each line keeps its own key; null for one job
     */
    JobRequest request(JobKind kind, String pattern, String command, String stdin, String keySuffix,
                       String requestedBy) {
        String key = idempotencyKey == null ? null
                : keySuffix == null ? idempotencyKey : idempotencyKey + "#" + keySuffix;
        return new JobRequest(key, kind, pattern, command, stdin, timeoutSeconds, concurrency, sshFallback,
                requestedBy);
    }

    static void requirePattern(CommandSpec spec, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "the host pattern is empty; use 'all', a group, host names or 'a,b'");
        }
    }
}
