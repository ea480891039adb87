package net.goldentooth.monitor.rules;

import java.util.List;
import java.util.Map;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.monitor.liveness.BusView;

/**
 * Everything rules are evaluated over, at one instant. Immutable.
 *
 * @param replication the newest status of each dataset × target pair (storage.replication)
 * @param capacity    the newest level of each node's filesystem (storage.capacity)
 * @param bus         the bus as the monitor sees it; null where not known (tests of other rules)
 * @param logMatches  per log-match condition, the lines each node logged within its window
 */
public record Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs,
                           List<ProbeResult> probes, List<ReplicationStatus> replication,
                           List<CapacityStatus> capacity, BusView bus,
                           Map<? extends LogCondition, Map<String, Integer>> logMatches) {

    public Observations {
        logMatches = Map.copyOf(logMatches);
        nodes = Map.copyOf(nodes);
        certs = Map.copyOf(certs);
        probes = List.copyOf(probes);
        replication = List.copyOf(replication);
        capacity = List.copyOf(capacity);
    }

    /** Observations without the bus view or log-match counts. */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes,
                        List<ReplicationStatus> replication, List<CapacityStatus> capacity) {
        this(nodes, certs, probes, replication, capacity, null, Map.of());
    }

    /** Observations with the bus view but no log-match counts. */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes,
                        List<ReplicationStatus> replication, List<CapacityStatus> capacity, BusView bus) {
        this(nodes, certs, probes, replication, capacity, bus, Map.of());
    }

    /** Observations with log-match counts but no bus view. */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes,
                        List<ReplicationStatus> replication, List<CapacityStatus> capacity,
                        Map<? extends LogCondition, Map<String, Integer>> logMatches) {
        this(nodes, certs, probes, replication, capacity, null, logMatches);
    }

    /** Observations without storage state (rules over nodes, certificates and probes only). */
    public Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs, List<ProbeResult> probes) {
        this(nodes, certs, probes, List.of(), List.of());
    }
}
