package net.goldentooth.provisioner.jobs;

import java.time.Duration;

/**
 * The job engine's limits and deadlines.
 *
 * @param defaultTimeout  a request's run time limit when it names none
 * @param dispatchGrace   added to the timeout for a task's expiry and the provisioner's own deadline,
 *                        so the agent's timeout kill reports before the provisioner gives up
 * @param acceptDeadline  a dispatched target no agent accepted within this is {@code unreachable}
 * @param maxOutputBytes  stdout plus stderr kept per target; the rest is dropped and marked truncated
 * @param statusCoalesce  at most one status publication per large job within this (terminal changes excepted)
 */
public record EngineSettings(Duration defaultTimeout, Duration dispatchGrace, Duration acceptDeadline,
                             int maxOutputBytes, Duration statusCoalesce) {

    /** The longest run time a request may ask for: one day. */
    public static final int MAX_TIMEOUT_SECONDS = 86_400;

    /** @throws IllegalArgumentException naming the setting (its key below {@code goldentooth.provisioner.}) */
    public EngineSettings {
        if (!isPositive(defaultTimeout) || defaultTimeout.getSeconds() > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("default-timeout must lie in 1s..86400s, was " + defaultTimeout);
        }
        if (dispatchGrace.isNegative()) {
            throw new IllegalArgumentException("dispatch-grace must not be negative, was " + dispatchGrace);
        }
        if (!isPositive(acceptDeadline)) {
            throw new IllegalArgumentException("accept-deadline must be positive, was " + acceptDeadline);
        }
        if (statusCoalesce.isNegative()) {
            throw new IllegalArgumentException("status-coalesce must not be negative, was " + statusCoalesce);
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("max-output-bytes must be positive, was " + maxOutputBytes);
        }
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
