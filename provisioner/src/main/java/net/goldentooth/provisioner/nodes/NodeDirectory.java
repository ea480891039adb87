package net.goldentooth.provisioner.nodes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.provisioner.inventory.Inventory;

/**
 * The last facts of every node and when they arrived. A node is live while its facts are younger
 * than three facts intervals: one lost publication is not an outage, three are. Thread-safe.
 */
public final class NodeDirectory {

    private record Seen(NodeFacts facts, Instant at) {
    }

    private final Clock clock;
    private final Duration liveWindow;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public NodeDirectory(Clock clock, Duration factsInterval) {
        this.clock = clock;
        this.liveWindow = factsInterval.multipliedBy(3);
    }

    public void record(NodeFacts facts) {
        if (facts.node() == null || facts.node().isBlank()) {
            throw new IllegalArgumentException("facts without a node name");
        }
        seen.put(facts.node(), new Seen(facts, clock.instant()));
    }

    /** Whether the node's agent published facts within the live window (three facts intervals). */
    public boolean isLive(String node) {
        Seen last = seen.get(node);
        return last != null && clock.instant().isBefore(last.at().plus(liveWindow));
    }

    /** Inventory hosts in inventory order, then nodes that report facts without being in the inventory, by name. */
    public List<NodeView> view(Inventory inventory) {
        Instant now = clock.instant();
        List<NodeView> out = new ArrayList<>();
        inventory.hosts().values().forEach(h -> out.add(row(h.name(), h.address(), h.groups(), true, now)));
        seen.keySet().stream().filter(n -> !inventory.hasHost(n)).sorted()
                .forEach(n -> out.add(row(n, null, List.of(), false, now)));
        return out;
    }

    private NodeView row(String node, String address, List<String> groups, boolean inInventory, Instant now) {
        Seen last = seen.get(node);
        boolean live = last != null && now.isBefore(last.at().plus(liveWindow));
        return new NodeView(node, address, groups, inInventory, live, last == null ? null : last.at(),
                last == null ? null : last.facts());
    }
}
