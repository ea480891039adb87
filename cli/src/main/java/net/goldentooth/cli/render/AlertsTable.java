package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;

/** {@code goldentooth alerts}: firing then pending alerts, with how long each has been so. */
public final class AlertsTable {

    /** Prints the firing and pending alerts; returns how many were printed. */
    public static int render(List<AlertState> alerts, Instant now, PrintStream out) {
        List<AlertState> shown = alerts.stream().filter(a -> a.phase().active())
                .sorted((a, b) -> a.phase() != b.phase() ? (a.phase() == AlertPhase.FIRING ? -1 : 1)
                        : a.activeSince().compareTo(b.activeSince()))
                .toList();
        if (shown.isEmpty()) {
            out.println("no alerts firing or pending");
            return 0;
        }
        Table table = new Table("ALERT", "STATE", "SEVERITY", "FOR", "SUBJECT", "SUMMARY");
        for (AlertState a : shown) {
            String state = a.phase().wire() + (a.inhibited() ? " (inhibited)" : "");
            Instant since = a.phase() == AlertPhase.FIRING && a.firedAt() != null ? a.firedAt() : a.activeSince();
            table.add(a.alertName(), state, a.severity(), Ages.since(since, now), subject(a.labels()),
                    a.annotations() == null ? "" : a.annotations().getOrDefault("summary", ""));
        }
        table.print(out);
        return shown.size();
    }

    private static String subject(Map<String, String> labels) {
        Map<String, String> rest = new TreeMap<>(labels);
        rest.remove("alertname");
        rest.remove("severity");
        return rest.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private AlertsTable() {
    }
}
