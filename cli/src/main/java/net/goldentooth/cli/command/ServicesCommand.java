package net.goldentooth.cli.command;

import java.util.Map;
import java.util.concurrent.Callable;
import net.goldentooth.cli.client.ProvisionerClient;
import net.goldentooth.cli.render.ServicesTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code services [pattern]}: the node agents' checks of the systems each node runs. */
@Command(name = "services", description = {"Show the service checks of the nodes a pattern selects (default all): "
        + "Slurm, HAProxy, Consul, Vault, Nomad, the kubelet and the ports node services need, from each node's last "
        + "facts. Which checks a node runs follows its inventory groups (setup_node_agent)."})
public final class ServicesCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<pattern>", defaultValue = "all",
            description = "An Ansible host pattern: all, a group (consul_server), hosts (bettley,cargyll), globs.")
    String pattern;

    @Option(names = "--json", description = "Print the provisioner's JSON.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        String path = "/services" + ProvisionerClient.query(Map.of("pattern", pattern));
        if (json) {
            root.context().out().println(ProvisionerJson.pretty(root.client(spec).getTree(path)));
            return 0;
        }
        ServicesTable.render(root.client(spec).services(pattern), root.context().clock().instant(), root.context().out());
        return 0;
    }
}
