package net.goldentooth.monitor.rules;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import net.goldentooth.events.logs.LogEntry;

/**
 * For each {@code log-match} condition, the times its lines arrived per node, kept for the
 * condition's window: the counts {@link Condition.LogMatch} compares with its threshold. Arrival
 * time is the monitor's clock, never the node's (DESIGN.md: node clocks are measured, not trusted).
 * Each node's list is capped (past the cap only the newest are kept; the count reads as the cap),
 * so a line storm costs bounded memory. Pure: given the time. Thread-safe.
 */
public final class LogWindows {

    /** The most arrival times kept per condition and node. */
    static final int CAP = 10_000;

    private final Map<Condition.LogMatch, Map<String, ArrayDeque<Instant>>> seen = new HashMap<>();

    public synchronized void observe(LogEntry line, Instant at, Collection<Condition.LogMatch> conditions) {
        for (Condition.LogMatch condition : conditions) {
            if (line.node() != null && condition.accepts(line)) {
                ArrayDeque<Instant> times = seen.computeIfAbsent(condition, c -> new HashMap<>())
                        .computeIfAbsent(line.node(), n -> new ArrayDeque<>());
                times.addLast(at);
                if (times.size() > CAP) {
                    times.removeFirst();
                }
            }
        }
    }

    /** Lines per condition and node within each condition's window before {@code now}; forgets older ones. */
    public synchronized Map<Condition.LogMatch, Map<String, Integer>> counts(Instant now) {
        Map<Condition.LogMatch, Map<String, Integer>> counts = new HashMap<>();
        seen.forEach((condition, nodes) -> {
            Instant from = now.minus(condition.window());
            Map<String, Integer> perNode = new HashMap<>();
            nodes.values().removeIf(times -> {
                while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
                    times.removeFirst();
                }
                return times.isEmpty();
            });
            nodes.forEach((node, times) -> perNode.put(node, times.size()));
            counts.put(condition, Map.copyOf(perNode));
        });
        seen.values().removeIf(Map::isEmpty);
        return counts;
    }
}
