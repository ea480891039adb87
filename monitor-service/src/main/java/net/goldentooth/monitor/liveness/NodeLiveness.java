package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * One node's liveness at an instant.
 *
 * @param lastFactsAt the agent's own {@code collectedAt} of its newest facts (null if never seen)
 * @param factsAge    {@code now - lastFactsAt}, null if never seen
 * @param probeReachable the newest fresh probe answer, null when there is none
 * @param kubeletReady   the newest fresh Kubernetes {@code Ready} condition, null when there is none
 *                       (not a Kubernetes node, or the provisioner has not reported it lately)
 */
public record NodeLiveness(String node, Liveness liveness, Instant lastFactsAt, Duration factsAge,
                           Boolean probeReachable, Boolean kubeletReady) {
}
