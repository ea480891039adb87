package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.events.facts.NodeFacts;

/** {@code status}: one row per node with its liveness and the facts an operator looks at first. */
public final class StatusTable {

    private StatusTable() {
    }

    public static void render(List<NodeView> nodes, Instant now, PrintStream out) {
        Table table = new Table("NODE", "ADDRESS", "LIVE", "LAST SEEN", "LOAD", "MEM", "TEMP", "NIC", "NOTE");
        List<NodeView> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(NodeView::node, Comparator.nullsLast(Comparator.naturalOrder())));
        for (NodeView node : sorted) {
            NodeFacts facts = node.facts();
            table.add(
                    String.valueOf(node.node()),
                    node.address() == null ? "-" : node.address(),
                    node.live() ? "yes" : "no",
                    Ages.since(node.lastSeen(), now),
                    value(facts, NodeFacts::load, load -> format("%.2f", load.load1())),
                    value(facts, NodeFacts::memory, StatusTable::memoryUsed),
                    value(facts, NodeFacts::thermal, thermal -> thermal.cpuTemperatureCelsius() == null ? null
                            : format("%.1fC", thermal.cpuTemperatureCelsius())),
                    value(facts, NodeFacts::network, NodeFacts.Network::defaultRouteNic),
                    note(node));
        }
        table.print(out);
    }

    private static String memoryUsed(NodeFacts.Memory memory) {
        if (memory.totalBytes() <= 0) {
            return null;
        }
        long used = memory.totalBytes() - memory.availableBytes();
        return Math.round(100.0 * used / memory.totalBytes()) + "%";
    }

    /** A section's value; a stale one is marked with {@code *} and named in NOTE. */
    private static <S> String value(NodeFacts facts, Function<NodeFacts, NodeFacts.Section<S>> section,
                                    Function<S, String> format) {
        if (facts == null || section.apply(facts) == null || section.apply(facts).value() == null) {
            return "-";
        }
        String text = format.apply(section.apply(facts).value());
        if (text == null) {
            return "-";
        }
        return section.apply(facts).stale() ? text + "*" : text;
    }

    private static String note(NodeView node) {
        List<String> notes = new ArrayList<>();
        if (!node.inInventory()) {
            notes.add("not in inventory");
        }
        NodeFacts facts = node.facts();
        if (facts != null && Boolean.TRUE.equals(facts.simulated())) {
            notes.add("simulated");
        }
        if (facts != null) {
            List<String> stale = new ArrayList<>();
            addIfStale(stale, "load", facts.load());
            addIfStale(stale, "memory", facts.memory());
            addIfStale(stale, "thermal", facts.thermal());
            addIfStale(stale, "network", facts.network());
            if (!stale.isEmpty()) {
                notes.add("stale: " + String.join(",", stale));
            }
        }
        return String.join("; ", notes);
    }

    private static void addIfStale(List<String> stale, String name, NodeFacts.Section<?> section) {
        if (section != null && section.stale()) {
            stale.add(name);
        }
    }

    private static String format(String pattern, Object value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
