package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request to run a command on the nodes an Ansible host pattern selects. Sent to
 * {@code POST /jobs} or published on {@code job.requested}.
 *
 * @param idempotencyKey  a caller-chosen key; a second request with the same key returns the
 *                        first job instead of starting another (may be null)
 * @param kind            command or command_root
 * @param pattern         Ansible host pattern: {@code all}, names, groups, globs, {@code a,b},
 *                        {@code !exclude}, {@code &intersect}
 * @param command         the shell command, run with {@code /bin/sh -c}
 * @param stdin           text fed to the command's standard input (batch, heredoc); may be null
 * @param timeoutSeconds  per-target run time limit; null means the provisioner's default
 * @param concurrency     how many targets run at once: a number ({@code "10"}) or a percentage
 *                        ({@code "10%"}); null means all at once
 * @param sshFallback     run targets with no live agent over SSH
 * @param requestedBy     who asked (user or service), for the audit trail
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        String idempotencyKey,
        JobKind kind,
        String pattern,
        String command,
        String stdin,
        Integer timeoutSeconds,
        String concurrency,
        boolean sshFallback,
        String requestedBy) {

    public static JobRequest command(String pattern, String command) {
        return new JobRequest(null, JobKind.COMMAND, pattern, command, null, null, null, false, null);
    }
}
