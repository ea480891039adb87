package net.goldentooth.agent.certs.renewal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * When a lineage acts, as a pure function of what the agent knows and the time it is given.
 *
 * <ul>
 *   <li>Renew at 2/3 of the certificate's own lifetime (notBefore to notAfter) plus a jitter in
 *       [0, lifetime/20), so a fleet whose certificates were issued together does not renew in
 *       one burst. The jitter is a hash of (seed, lineage, notAfter): stable for tests and for a
 *       restarted agent, different per lineage and per certificate.</li>
 *   <li>After a failure wait {@code initial · 2^(failures-1)}, capped at {@code max}, of which
 *       the second half is jittered ("equal jitter"): never less than half the step, never more
 *       than the cap.</li>
 *   <li>An expired certificate is renewed like any other: pki decides about its grace period.</li>
 * </ul>
 */
public final class RenewalSchedule {

    /** What a lineage should do now. */
    public enum Action {
        /** Nothing until {@link Step#at()}. */
        WAIT,
        /** Ask for a first certificate with an enrolment token. */
        ENROL,
        /** Ask for a new certificate with proof of possession of the current one. */
        RENEW,
        /** A new certificate is written but its reload or probe failed: run the reload and probe again. */
        RELOAD,
        /** pki did not answer the pending request in time: count a failure. */
        ANSWER_TIMED_OUT
    }

    /** @param at for {@link Action#WAIT}, when to look again; otherwise the time given */
    public record Step(Action action, Instant at) {
    }

    /**
     * What the schedule needs to know about a lineage.
     *
     * @param notBefore       of the current certificate; null when there is none
     * @param notAfter        of the current certificate; null when there is none
     * @param usable          the current certificate exists and matches the key on disk (else: enrol)
     * @param pendingSince    when the unanswered request was sent; null when none is pending
     * @param failures        consecutive failed attempts
     * @param lastFailureAt   of the latest failure; null when {@code failures} is 0
     * @param unconfirmed     a new certificate is written but not yet confirmed reloaded
     * @param mustEnrol       pki refused a renewal in a way only a new enrolment can fix
     */
    public record LineageView(Instant notBefore, Instant notAfter, boolean usable, Instant pendingSince,
                              int failures, Instant lastFailureAt, boolean unconfirmed, boolean mustEnrol) {
    }

    private final long seed;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration answerTimeout;

    public RenewalSchedule(long seed, Duration backoffInitial, Duration backoffMax, Duration answerTimeout) {
        if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("goldentooth.agent.renewal.backoff-initial must be positive and at "
                    + "most backoff-max, was " + backoffInitial + " and " + backoffMax);
        }
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("goldentooth.agent.renewal.answer-timeout must be positive, was "
                    + answerTimeout);
        }
        this.seed = seed;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.answerTimeout = answerTimeout;
    }

    public Step next(String lineage, LineageView view, Instant now) {
        if (view.pendingSince() != null) {
            Instant deadline = view.pendingSince().plus(answerTimeout);
            return now.isBefore(deadline) ? wait(deadline) : act(Action.ANSWER_TIMED_OUT, now);
        }
        if (view.failures() > 0) {
            Instant retryAt = view.lastFailureAt().plus(backoff(lineage, view.failures()));
            if (now.isBefore(retryAt)) {
                return wait(retryAt);
            }
        }
        if (view.unconfirmed()) {
            return act(Action.RELOAD, now);
        }
        if (!view.usable() || view.mustEnrol()) {
            return act(Action.ENROL, now);
        }
        Instant renewAt = renewAt(lineage, view.notBefore(), view.notAfter());
        return now.isBefore(renewAt) ? wait(renewAt) : act(Action.RENEW, now);
    }

    /** notBefore + 2/3 · lifetime + jitter in [0, lifetime/20). */
    public Instant renewAt(String lineage, Instant notBefore, Instant notAfter) {
        long lifetimeMs = Math.max(0, Duration.between(notBefore, notAfter).toMillis());
        long jitterMs = (long) (unit(lineage, notAfter.toEpochMilli()) * (lifetimeMs / 20));
        return notBefore.plusMillis(lifetimeMs * 2 / 3 + jitterMs);
    }

    /** The wait after {@code failures} consecutive failures (1 or more). */
    public Duration backoff(String lineage, int failures) {
        long initialMs = backoffInitial.toMillis();
        long maxMs = backoffMax.toMillis();
        int doublings = Math.min(Math.max(failures, 1) - 1, 40);
        long stepMs = initialMs > (maxMs >> doublings) ? maxMs : Math.min(maxMs, initialMs << doublings);
        long half = stepMs / 2;
        return Duration.ofMillis(stepMs - half + (long) (unit(lineage, failures) * half));
    }

    private static Step wait(Instant until) {
        return new Step(Action.WAIT, until);
    }

    private static Step act(Action action, Instant now) {
        return new Step(action, now);
    }

    /** A number in [0, 1) fixed by (seed, lineage, salt): SplitMix64's finaliser over their mix. */
    private double unit(String lineage, long salt) {
        long h = seed;
        for (byte b : lineage.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001b3L;
        }
        h ^= salt * 0x9e3779b97f4a7c15L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
