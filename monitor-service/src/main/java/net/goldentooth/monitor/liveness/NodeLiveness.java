package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * One node's liveness at an instant.
 *
 * @param lastFactsAt the agent's own {@code collectedAt} of its newest facts (null if never seen)
 * @param factsAge    {@code now - lastFactsAt}, null if never seen
 * @param probeReachable the newest fresh probe answer, null when there is none
 */
public record NodeLiveness(String node, Liveness liveness, Instant lastFactsAt, Duration factsAge,
                           Boolean probeReachable) {
}
