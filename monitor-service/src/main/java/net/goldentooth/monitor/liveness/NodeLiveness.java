package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * One node's liveness at an instant.
 *
 * @param lastFactsAt    bus time (broker append time) of the node's newest record, heartbeat or
 *                       facts (null if never seen); never the node's own clock
 * @param factsAge       bus time now minus {@code lastFactsAt}, null if never seen
 * @param probeReachable the newest fresh probe answer, null when there is none
 * @param kubeletReady   the newest fresh Kubernetes {@code Ready} condition, null when there is none
 *                       (not a Kubernetes node, or the provisioner has not reported it lately)
 * @param clockOffset    the node's clock minus bus time (positive: ahead), from its newest heartbeat; null if unknown
 * @param clockOffsetError the offset is right within this; null when only the monitor's one-sided
 *                       bound (beat sent by the node's clock vs appended) is known
 */
public record NodeLiveness(String node, Liveness liveness, Instant lastFactsAt, Duration factsAge,
                           Boolean probeReachable, Boolean kubeletReady, Duration clockOffset,
                           Duration clockOffsetError) {

    public NodeLiveness(String node, Liveness liveness, Instant lastFactsAt, Duration factsAge,
                        Boolean probeReachable, Boolean kubeletReady) {
        this(node, liveness, lastFactsAt, factsAge, probeReachable, kubeletReady, null, null);
    }
}
