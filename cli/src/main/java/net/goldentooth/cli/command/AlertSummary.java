package net.goldentooth.cli.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.client.Credentials;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.MonitorClient;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;

/**
 * The alert counts {@code status} appends: {@code alerts: 2 firing (1 critical, 1 warning), 1 pending}.
 * The node table is the command's answer, so an unreachable monitor is a note on stderr, not a failure.
 */
final class AlertSummary {

    static void print(String monitorOption, CliContext context, Credentials credentials)
            throws InterruptedException {
        MonitorClient client;
        try {
            client = new MonitorClient(Endpoint.resolve(monitorOption, "--monitor", MonitorClient.ENV,
                    MonitorClient.DEFAULT, context.env()), credentials);
        } catch (IllegalArgumentException e) {
            context.err().println("alerts: " + e.getMessage());
            return;
        }
        try {
            context.out().println(line(client.alerts()));
        } catch (IOException e) {
            context.err().println("alerts: monitor-service at " + client.base() + " cannot be read (" + e.getMessage()
                    + "); --monitor URL or $" + MonitorClient.ENV + " points elsewhere");
        }
    }

    static String line(List<AlertState> alerts) {
        Map<String, Integer> firing = new TreeMap<>();
        int pending = 0;
        int inhibited = 0;
        for (AlertState a : alerts) {
            if (a.phase() == AlertPhase.FIRING && a.inhibited()) {
                inhibited++;
            } else if (a.phase() == AlertPhase.FIRING) {
                firing.merge(a.severity(), 1, Integer::sum);
            } else if (a.phase() == AlertPhase.PENDING) {
                pending++;
            }
        }
        int total = firing.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder line = new StringBuilder("alerts: ").append(total).append(" firing");
        if (total > 0) {
            line.append(" (");
            firing.forEach((severity, n) -> line.append(line.charAt(line.length() - 1) == '(' ? "" : ", ")
                    .append(n).append(' ').append(severity));
            line.append(')');
        }
        line.append(", ").append(pending).append(" pending");
        if (inhibited > 0) {
            line.append(", ").append(inhibited).append(" inhibited by NodeDown");
        }
        return line.toString();
    }

    private AlertSummary() {
    }
}
