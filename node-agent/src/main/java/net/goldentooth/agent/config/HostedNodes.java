package net.goldentooth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The node names one agent process answers for: its own node first, then any simulated nodes of
 * a scale test. The first name is the real node; it names the consumer group and gets the facts
 * actually collected here.
 */
public final class HostedNodes {

    private final List<String> names;
    private final Set<String> lookup;

    private HostedNodes(List<String> names) {
        this.names = List.copyOf(names);
        this.lookup = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /**
     * @throws IllegalArgumentException naming the configuration key when the combination is invalid
     */
    public static HostedNodes of(String nodeName, List<String> simulatedNodes, int simulatedCount,
                                 String simulatedPrefix) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("goldentooth.agent.node-name is empty and the hostname is unknown");
        }
        if (simulatedCount < 0) {
            throw new IllegalArgumentException("goldentooth.agent.simulated-count must not be negative, was "
                    + simulatedCount);
        }
        if (simulatedCount > 0 && !simulatedNodes.isEmpty()) {
            throw new IllegalArgumentException("set goldentooth.agent.simulated-nodes or "
                    + "goldentooth.agent.simulated-count, not both");
        }
        List<String> names = new ArrayList<>();
        names.add(nodeName);
        names.addAll(simulatedNodes);
        for (int i = 1; i <= simulatedCount; i++) {
            names.add(String.format("%s%05d", simulatedPrefix, i));
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("goldentooth.agent.simulated-nodes repeats a name or the node's own: "
                    + names);
        }
        return new HostedNodes(names);
    }

    /** The real node this process runs on. */
    public String primary() {
        return names.get(0);
    }

    public List<String> all() {
        return names;
    }

    /** The simulated nodes, without the primary. */
    public List<String> simulated() {
        return names.subList(1, names.size());
    }

    public boolean hosts(String node) {
        return node != null && lookup.contains(node);
    }

    public int size() {
        return names.size();
    }

    /** The short hostname: everything before the first dot. */
    public static String shortHostname(String hostname) {
        String trimmed = hostname == null ? "" : hostname.trim();
        int dot = trimmed.indexOf('.');
        return dot < 0 ? trimmed : trimmed.substring(0, dot);
    }
}
