package net.goldentooth.monitor.liveness;

import java.time.Duration;

/**
 * @param factsInterval   how often agents publish facts
 * @param missedIntervals a node that only publishes facts is down once its newest are this many intervals old
 * @param holdDown        records must flow without a gap for this long before a down node is up again
 * @param probeFreshness  a probe result older than this no longer tells agent-down from node-down
 * @param conditionsFreshness a Kubernetes node condition read (by the provisioner) longer ago than
 *                        this no longer tells agent-down from node-down
 * @param missedHeartbeats a node that beats is down once it has been silent for this many of its
 *                        own heartbeat intervals
 */
public record LivenessPolicy(Duration factsInterval, int missedIntervals, Duration holdDown, Duration probeFreshness,
                             Duration conditionsFreshness, int missedHeartbeats) {

    /** Six missed one-second beats: a 3 s stall passes, and detection is well inside 10 s. */
    public static final int DEFAULT_MISSED_HEARTBEATS = 6;

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
        if (missedHeartbeats < 2) {
            throw new IllegalArgumentException("missed heartbeats must be at least 2 (one late beat is not silence), got "
                    + missedHeartbeats);
        }
    }

    public LivenessPolicy(Duration factsInterval, int missedIntervals, Duration holdDown, Duration probeFreshness,
                          Duration conditionsFreshness) {
        this(factsInterval, missedIntervals, holdDown, probeFreshness, conditionsFreshness, DEFAULT_MISSED_HEARTBEATS);
    }

    /** Facts older than this mean a node that does not beat is down. */
    public Duration window() {
        return factsInterval.multipliedBy(missedIntervals);
    }

    /** Silence longer than this means a node beating every {@code interval} is down. */
    public Duration heartbeatWindow(Duration interval) {
        return interval.multipliedBy(missedHeartbeats);
    }
}
