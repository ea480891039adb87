package net.goldentooth.provisioner.k8s;

import java.util.List;
import java.util.Map;

/**
 * What a drain did.
 *
 * @param node      the drained node (cordoned in any case)
 * @param evicted   pods whose eviction the API server accepted and that are gone, as {@code namespace/name}
 * @param remaining pods still on the node at the timeout, with why: refused by a PodDisruptionBudget, or
 *                  evicted but still terminating
 * @param skipped   pods a drain leaves alone (DaemonSet, mirror, finished)
 */
public record DrainResult(String node, List<String> evicted, Map<String, String> remaining, List<String> skipped) {

    public boolean complete() {
        return remaining.isEmpty();
    }
}
