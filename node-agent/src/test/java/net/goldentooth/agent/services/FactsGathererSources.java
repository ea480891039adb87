package net.goldentooth.agent.services;

import java.util.List;
import java.util.Map;
import net.goldentooth.agent.facts.FactSources;
import net.goldentooth.events.facts.NodeFacts;

/** Facts sections that answer at once, for tests about the services section only. */
final class FactsGathererSources implements FactSources {

    @Override
    public NodeFacts.Host host() {
        return new NodeFacts.Host("bettley", "6.6.51", "aarch64", null, "Debian", 10);
    }

    @Override
    public NodeFacts.Network network() {
        return new NodeFacts.Network(List.of(), "eth0", "10.4.0.1");
    }

    @Override
    public NodeFacts.Thermal thermal() {
        return new NodeFacts.Thermal(null, null, null, null);
    }

    @Override
    public NodeFacts.Load load() {
        return new NodeFacts.Load(0.1, 0.1, 0.1, 4);
    }

    @Override
    public NodeFacts.Memory memory() {
        return new NodeFacts.Memory(4, 2, 0, 0);
    }

    @Override
    public List<NodeFacts.Filesystem> filesystems() {
        return List.of();
    }

    @Override
    public NodeFacts.TimeSync timeSync() {
        return new NodeFacts.TimeSync(true, 0.0, "test");
    }

    @Override
    public Map<String, String> units() {
        return Map.of();
    }

    @Override
    public NodeFacts.Kernel kernel() {
        return new NodeFacts.Kernel(List.of(), Map.of());
    }

    @Override
    public List<NodeFacts.FoundCertificate> certificates() {
        return List.of();
    }
}
