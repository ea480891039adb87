package net.goldentooth.cli.command;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.MonitorClient;
import net.goldentooth.cli.render.AlertsTable;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.SilenceView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code alerts}: what monitor-service has firing and pending, and for how long. */
@Command(name = "alerts", description = "List firing and pending alerts from monitor-service, with how long each has been so.")
public final class AlertsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--monitor", paramLabel = "URL",
            description = "monitor-service's base URL (default: $" + MonitorClient.ENV + ", else " + MonitorClient.DEFAULT + ").")
    String monitor;

    @Option(names = "--json", description = "Print monitor-service's JSON (every alert, resolved ones included).")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        MonitorClient client;
        try {
            client = new MonitorClient(Endpoint.resolve(monitor, "--monitor", MonitorClient.ENV, MonitorClient.DEFAULT,
                    root.context().env()), root.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<AlertState> alerts;
        try {
            alerts = client.alerts();
        } catch (IOException e) {
            root.context().err().println("goldentooth: monitor-service at " + client.base() + " cannot be read: " + e);
            root.context().err().println("  Is it running? './goldentooth up' starts one locally; "
                    + "--monitor URL or $" + MonitorClient.ENV + " points elsewhere.");
            return ExitCode.UNAVAILABLE.code();
        }
        List<SilenceView> silences;
        try {
            silences = client.silences();
        } catch (IOException e) {
            // The alerts are still worth printing; say why the silences are missing.
            root.context().err().println("goldentooth: the silences of monitor-service at " + client.base()
                    + " cannot be read: " + e.getMessage());
            silences = List.of();
        }
        if (json) {
            root.context().out().println(EventCodec.encodeToString(alerts));
        } else {
            AlertsTable.render(alerts, silences, root.context().clock().instant(), root.context().out());
        }
        return ExitCode.SUCCESS.code();
    }
}
