package net.goldentooth.monitor.liveness;

import java.time.Duration;

/**
 * @param factsInterval   how often agents publish facts
 * @param missedIntervals a node is down once its newest facts are older than this many intervals
 * @param holdDown        facts must flow without a gap for this long before a down node is up again
 * @param probeFreshness  a probe result older than this no longer tells agent-down from node-down
 * @param conditionsFreshness a Kubernetes node condition read (by the provisioner) longer ago than
 *                        this no longer tells agent-down from node-down
 */
public record LivenessPolicy(Duration factsInterval, int missedIntervals, Duration holdDown, Duration probeFreshness,
                             Duration conditionsFreshness) {

    public LivenessPolicy {
        if (factsInterval.isNegative() || factsInterval.isZero()) {
            throw new IllegalArgumentException("facts interval must be positive, got " + factsInterval);
        }
        if (missedIntervals < 1) {
            throw new IllegalArgumentException("missed intervals must be at least 1, got " + missedIntervals);
        }
        if (holdDown.isNegative()) {
            throw new IllegalArgumentException("hold-down must not be negative, got " + holdDown);
        }
    }

    /** Facts older than this mean the node is down. */
    public Duration window() {
        return factsInterval.multipliedBy(missedIntervals);
    }
}
