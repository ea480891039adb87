package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.render.StatusTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code status}: every node's liveness and headline facts. */
@Command(name = "status", description = {"Show every node: address, liveness, last facts' age, load, memory use, "
        + "CPU temperature and the NIC with the default route.", "A value marked * comes from a stale collector."})
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--json", description = "Print the provisioner's JSON.")
    boolean json;

    @Option(names = "--monitor", paramLabel = "URL", description = "monitor-service's base URL, for the alert counts "
            + "(default: $" + net.goldentooth.cli.client.MonitorClient.ENV + ", else "
            + net.goldentooth.cli.client.MonitorClient.DEFAULT + ").")
    String monitor;

    @Override
    public Integer call() throws InterruptedException {
        if (json) {
            root.context().out().println(ProvisionerJson.pretty(root.client(spec).getTree("/nodes")));
            return 0;
        }
        StatusTable.render(root.client(spec).nodes(), root.context().clock().instant(), root.context().out());
        AlertSummary.print(monitor, root.context(), root.credentials());
        return 0;
    }
}
