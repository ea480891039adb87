package net.goldentooth.pki.policy;

import net.goldentooth.events.cert.RefusalReason;

/**
 * Refuses a node whose clock offset is beyond {@code maxOffsetSeconds}: a node eight days off (the
 * seed's) would treat fresh certificates as not yet valid, or keep expired ones. The offset is the
 * one measured on the bus from the node's heartbeats wherever it beats, so a node that reports no
 * NTP state is judged too ({@link ClockOffsets}); only a node neither measured nor reporting is
 * served unjudged. Only the offset counts, not the "synchronised" flag.
 */
public record ClockSkewPolicy(double maxOffsetSeconds) {

    public void check(String node, Double reportedOffsetSeconds) {
        if (reportedOffsetSeconds != null && Math.abs(reportedOffsetSeconds) > maxOffsetSeconds) {
            throw new RefusedException(RefusalReason.CLOCK_SKEW, node + " has a clock offset of "
                    + reportedOffsetSeconds + " s; at most " + maxOffsetSeconds + " s is accepted");
        }
    }
}
