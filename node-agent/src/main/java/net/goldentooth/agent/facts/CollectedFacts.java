package net.goldentooth.agent.facts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.events.facts.ServiceCheck;

/** The sections of one collection round, before they are stamped with a node name and sequence. */
public record CollectedFacts(
        Section<NodeFacts.Host> host,
        Section<NodeFacts.Network> network,
        Section<NodeFacts.Thermal> thermal,
        Section<NodeFacts.Load> load,
        Section<NodeFacts.Memory> memory,
        Section<List<NodeFacts.Filesystem>> filesystems,
        Section<NodeFacts.TimeSync> timeSync,
        Section<Map<String, String>> units,
        Section<NodeFacts.Kernel> kernel,
        Section<List<NodeFacts.FoundCertificate>> certificates,
        Section<List<ServiceCheck>> services,
        Section<NodeFacts.Counters> counters) {

    /** A round without service checks. */
    public CollectedFacts(Section<NodeFacts.Host> host, Section<NodeFacts.Network> network,
                          Section<NodeFacts.Thermal> thermal, Section<NodeFacts.Load> load,
                          Section<NodeFacts.Memory> memory, Section<List<NodeFacts.Filesystem>> filesystems,
                          Section<NodeFacts.TimeSync> timeSync, Section<Map<String, String>> units,
                          Section<NodeFacts.Kernel> kernel, Section<List<NodeFacts.FoundCertificate>> certificates) {
        this(host, network, thermal, load, memory, filesystems, timeSync, units, kernel, certificates, null);
    }

    /** A round without kernel counters. */
    public CollectedFacts(Section<NodeFacts.Host> host, Section<NodeFacts.Network> network,
                          Section<NodeFacts.Thermal> thermal, Section<NodeFacts.Load> load,
                          Section<NodeFacts.Memory> memory, Section<List<NodeFacts.Filesystem>> filesystems,
                          Section<NodeFacts.TimeSync> timeSync, Section<Map<String, String>> units,
                          Section<NodeFacts.Kernel> kernel, Section<List<NodeFacts.FoundCertificate>> certificates,
                          Section<List<ServiceCheck>> services) {
        this(host, network, thermal, load, memory, filesystems, timeSync, units, kernel, certificates, services, null);
    }

    /** The facts as published for {@code node}; simulated nodes get the host's sections under their own name. */
    public NodeFacts forNode(String node, long sequence, String agentVersion, Instant collectedAt) {
        return forNode(node, sequence, agentVersion, collectedAt, null);
    }

    /** As published, with the agent's last delivery gap (null for none). */
    public NodeFacts forNode(String node, long sequence, String agentVersion, Instant collectedAt,
                             NodeFacts.DeliveryGap deliveryGap) {
        return forNode(node, sequence, agentVersion, collectedAt, deliveryGap, false);
    }

    /** As published, marked {@code simulated} when the agent stands in for a node that does not exist. */
    public NodeFacts forNode(String node, long sequence, String agentVersion, Instant collectedAt,
                             NodeFacts.DeliveryGap deliveryGap, boolean simulated) {
        return new NodeFacts(node, collectedAt, sequence, agentVersion, host, network, thermal, load, memory,
                filesystems, timeSync, units, kernel, certificates, deliveryGap, simulated ? Boolean.TRUE : null,
                services, counters);
    }

    /**
     * What must be published at once when it changes: network, kernel, unit states, the set of
     * mounts (not their free space), the host without its uptime and each service check's state. Temperatures, load and
     * free space move all the time and wait for the regular interval.
     */
    public SlowFacts slowFacts() {
        NodeFacts.Host h = host.value();
        List<NodeFacts.Filesystem> fs = filesystems.value();
        Set<String> mounts = fs == null ? null
                : fs.stream().map(f -> f.mountPoint() + " " + f.device() + " " + f.type())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        return new SlowFacts(h == null ? null : new NodeFacts.Host(h.hostname(), h.kernel(), h.arch(), h.model(), h.os(), 0),
                network.value(), kernel.value(), units.value(), mounts, serviceStates());
    }

    private Map<String, ServiceCheck.State> serviceStates() {
        if (services == null || services.value() == null) {
            return null;
        }
        Map<String, ServiceCheck.State> states = new java.util.TreeMap<>();
        services.value().forEach(c -> states.put(c.name(), c.state()));
        return states;
    }

    /** The slowly changing part of the facts, compared with {@code equals}. */
    public record SlowFacts(NodeFacts.Host hostWithoutUptime, NodeFacts.Network network, NodeFacts.Kernel kernel,
                            Map<String, String> units, Set<String> mounts,
                            Map<String, ServiceCheck.State> serviceStates) {

        /** Without service checks. */
        public SlowFacts(NodeFacts.Host hostWithoutUptime, NodeFacts.Network network, NodeFacts.Kernel kernel,
                         Map<String, String> units, Set<String> mounts) {
            this(hostWithoutUptime, network, kernel, units, mounts, null);
        }
    }
}
