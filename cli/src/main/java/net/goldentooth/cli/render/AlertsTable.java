package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.alert.SilenceMatcher;
import net.goldentooth.events.api.SilenceView;

/** {@code goldentooth alerts}: firing then pending alerts, with how long each has been so. */
public final class AlertsTable {

    /** Prints the firing and pending alerts; returns how many were printed. */
    public static int render(List<AlertState> alerts, Instant now, PrintStream out) {
        return render(alerts, List.of(), now, out);
    }

    /**
     * Prints the firing and pending alerts, those an active silence covers marked {@code (silenced)},
     * then the active and pending silences; returns how many alerts were printed.
     */
    public static int render(List<AlertState> alerts, List<SilenceView> silences, Instant now, PrintStream out) {
        int printed = alerts(alerts, silences, now, out);
        List<SilenceView> current = silences.stream().filter(v -> !"expired".equals(v.state())).toList();
        if (!current.isEmpty()) {
            out.println();
            Table table = new Table("SILENCE", "STATE", "MATCHERS", "ENDS IN", "BY", "COMMENT");
            for (SilenceView v : current) {
                Silence s = v.silence();
                table.add(s.id().length() > 8 ? s.id().substring(0, 8) : s.id(), v.state()
                                + (v.silencedAlerts().isEmpty() ? "" : " (" + v.silencedAlerts().size() + " alerts)"),
                        s.matchers().stream().map(AlertsTable::matcher).collect(Collectors.joining(",")),
                        Ages.since(now, s.endsAt()), s.createdBy(), s.comment());
            }
            table.print(out);
        }
        return printed;
    }

    private static String matcher(SilenceMatcher m) {
        return m.name() + (m.isEqual() ? "" : "!") + (m.isRegex() ? "=~" : "=") + m.value();
    }

    private static int alerts(List<AlertState> alerts, List<SilenceView> silences, Instant now, PrintStream out) {
        java.util.Set<String> silenced = silences.stream().flatMap(v -> v.silencedAlerts().stream())
                .collect(Collectors.toSet());
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
            String state = a.phase().wire() + (a.inhibited() ? " (inhibited)" : "")
                    + (silenced.contains(a.fingerprint()) ? " (silenced)" : "");
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
