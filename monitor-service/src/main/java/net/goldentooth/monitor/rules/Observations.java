package net.goldentooth.monitor.rules;

import java.util.List;
import java.util.Map;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;

/**
 * Everything rules are evaluated over, at one instant. Immutable.
 *
 * @param replication the newest status of each dataset × target pair (storage.replication)
 * @param capacity    the newest level of each node's filesystem (storage.capacity)
 */
public record Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs,
                           List<ProbeResult> probes, List<ReplicationStatus> replication,
                           List<CapacityStatus> capacity,
                           Map<Condition.LogMatch, Map<String, Integer>> logMatches) {

    public Observations {
        logMatches = Map.copyOf(logMatches);
        nodes = Map.copyOf(nodes);
        certs = Map.copyOf(certs);
        probes = List.copyOf(probes);
        replication = List.copyOf(replication);
        capacity = List.copyOf(capacity);
    }

    /** Observations without log-match counts. */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes,
                        List<ReplicationStatus> replication, List<CapacityStatus> capacity) {
        this(nodes, certs, probes, replication, capacity, Map.of());
    }

    /** Observations without storage state (rules over nodes, certificates and probes only). */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes) {
        this(nodes, certs, probes, List.of(), List.of());
    }
}
