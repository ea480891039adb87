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
 * The last facts of every node and its newest sign of life. A sign of life is a record's broker
 * append time where the topic has one (node.heartbeat, node.facts: LogAppendTime), otherwise the
 * time it arrived here; never the node's own clock, so a node whose clock is days off is live
 * while its records arrive. A node that beats is live within six of its heartbeat intervals (6 s):
 * the SSH fallback is tried for it that soon. One that only publishes facts is live within three
 * facts intervals. Append times are compared with this service's clock: the broker and the
 * provisioner are servers kept on NTP. Thread-safe.
 */
public final class NodeDirectory {

    /** Missed beats before a beating node is not live (as the monitor's default). */
    static final int MISSED_HEARTBEATS = 6;

    private record Seen(NodeFacts facts, Instant at) {
    }

    private record Life(Instant at, Duration window) {
    }

    private final Clock clock;
    private final Duration liveWindow;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Life> life = new ConcurrentHashMap<>();

    public NodeDirectory(Clock clock, Duration factsInterval) {
        this.clock = clock;
        this.liveWindow = factsInterval.multipliedBy(3);
    }

    /** Facts as they arrive, timed by their arrival. */
    public void record(NodeFacts facts) {
        record(facts, null);
    }

    /** Facts appended by the broker at {@code appendedAt} (null: timed by their arrival here). */
    public void record(NodeFacts facts, Instant appendedAt) {
        if (facts.node() == null || facts.node().isBlank()) {
            throw new IllegalArgumentException("facts without a node name");
        }
        Instant at = appendedAt != null ? appendedAt : clock.instant();
        seen.put(facts.node(), new Seen(facts, at));
        alive(facts.node(), at, null);
    }

    /** A heartbeat of {@code node} appended at {@code appendedAt}, beating every {@code interval}. */
    public void beat(String node, Instant appendedAt, Duration interval) {
        if (node == null || node.isBlank() || interval.isNegative() || interval.isZero()) {
            return;
        }
        alive(node, appendedAt != null ? appendedAt : clock.instant(), interval.multipliedBy(MISSED_HEARTBEATS));
    }

    private void alive(String node, Instant at, Duration beatWindow) {
        life.compute(node, (n, held) -> {
            Duration window = beatWindow != null ? beatWindow : held != null ? held.window() : liveWindow;
            Instant newest = held != null && held.at().isAfter(at) ? held.at() : at;
            return new Life(newest, window);
        });
    }

    /** Whether a record of the node reached the bus within its live window. */
    public boolean isLive(String node) {
        return isLive(node, clock.instant());
    }

    private boolean isLive(String node, Instant now) {
        Life last = life.get(node);
        return last != null && now.isBefore(last.at().plus(last.window()));
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
        Life newest = life.get(node);
        return new NodeView(node, address, groups, inInventory, isLive(node, now), newest == null ? null : newest.at(),
                last == null ? null : last.facts());
    }
}
