package net.goldentooth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code playbooks}: the {@code setup_*} playbooks the provisioner can run. */
@Command(name = "playbooks", description = "List the setup_* playbooks the provisioner can run.")
public final class PlaybooksCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--json", description = "Print the provisioner's JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode list = root.client(spec).getTree("/playbooks");
        if (json) {
            root.context().out().println(ProvisionerJson.pretty(list));
            return 0;
        }
        list.path("playbooks").forEach(name -> root.context().out().println(name.asText()));
        if (list.path("playbooks").isEmpty()) {
            root.context().err().println("goldentooth: no setup_*.yaml playbooks in " + list.path("dir").asText());
        }
        return 0;
    }
}
