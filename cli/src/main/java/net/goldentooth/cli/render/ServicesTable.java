package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.events.api.NodeServices;
import net.goldentooth.events.facts.ServiceCheck;

/**
 * {@code services}: one row per check of each node (slurmd, haproxy, consul, vault, nomad, kubelet,
 * ports). DETAIL is the check's error when it has one, else its findings; HAProxy's backends read
 * {@code <backend> <up>/<servers> up}.
 */
public final class ServicesTable {

    private static final int DETAIL_WIDTH = 100;

    private ServicesTable() {
    }

    public static void render(List<NodeServices> nodes, Instant now, PrintStream out) {
        Table table = new Table("NODE", "SERVICE", "STATE", "VERSION", "CHECKED", "DETAIL");
        for (NodeServices node : nodes) {
            String name = node.live() ? node.node() : node.node() + " (down)";
            if (node.services() == null || node.services().value() == null || node.services().value().isEmpty()) {
                table.add(name, "-", "-", "-", Ages.since(node.lastSeen(), now), node.lastSeen() == null
                        ? "no facts" : "no service checks configured");
                continue;
            }
            for (ServiceCheck c : node.services().value()) {
                table.add(name, c.name(), c.state() == null ? "-" : c.state().wire(),
                        c.version() == null ? "-" : c.version(), Ages.since(c.checkedAt(), now), detail(c));
            }
        }
        table.print(out);
    }

    static String detail(ServiceCheck c) {
        String text = c.error() != null ? c.error() : findings(c);
        return text.length() <= DETAIL_WIDTH ? text : text.substring(0, DETAIL_WIDTH - 3) + "...";
    }

    private static String findings(ServiceCheck c) {
        Map<String, String> details = new TreeMap<>(c.details());
        List<String> parts = new ArrayList<>();
        if ("haproxy".equals(c.kind())) {
            details.forEach((key, value) -> {
                if (key.startsWith("backend.") && key.endsWith(".servers")) {
                    String backend = key.substring(8, key.length() - 8);
                    parts.add(backend + " " + details.getOrDefault("backend." + backend + ".serversUp", "?") + "/"
                            + value + " up");
                }
            });
        } else {
            details.forEach((key, value) -> parts.add(key + "=" + value));
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }
}
