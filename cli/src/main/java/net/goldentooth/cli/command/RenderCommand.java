package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code render haproxy}: configuration files the provisioner renders from the inventory. */
@Command(name = "render", description = "Print a configuration file rendered from the inventory: "
        + "haproxy (the Kubernetes API load balancer's haproxy.cfg).")
public final class RenderCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "<what>", description = "What to render: haproxy.")
    What what;

    enum What { haproxy }

    @Override
    public Integer call() {
        root.context().out().print(root.client(spec).getText("/render/" + what.name()));
        root.context().out().flush();
        return 0;
    }
}
