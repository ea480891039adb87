package net.goldentooth.monitor.rules;

import java.util.List;
import java.util.Map;

/** Everything rules are evaluated over, at one instant. Immutable. */
public record Observations(Map<String, ObservedNode> nodes, Map<String, ObservedCert> certs,
                           List<ProbeResult> probes) {

    public Observations {
        nodes = Map.copyOf(nodes);
        certs = Map.copyOf(certs);
        probes = List.copyOf(probes);
    }
}
