package net.goldentooth.pki.policy;

import net.goldentooth.events.cert.RefusalReason;

/**
 * Refuses a node whose last reported clock offset is beyond {@code maxOffsetSeconds}: a node eight
 * days off (the seed's) would treat fresh certificates as not yet valid, or keep expired ones.
 * Only the offset counts; a node that reports "not synchronised" with a small offset is served,
 * and a node that reported no offset at all is served too (there is nothing to judge).
 */
public record ClockSkewPolicy(double maxOffsetSeconds) {

    public void check(String node, Double reportedOffsetSeconds) {
        if (reportedOffsetSeconds != null && Math.abs(reportedOffsetSeconds) > maxOffsetSeconds) {
            throw new RefusedException(RefusalReason.CLOCK_SKEW, node + " reports a clock offset of "
                    + reportedOffsetSeconds + " s; at most " + maxOffsetSeconds + " s is accepted");
        }
    }
}
