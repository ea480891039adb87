package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.render.InventoryPrinter;
import net.goldentooth.events.api.InventoryView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code list_groups}: the inventory's groups and their hosts. */
@Command(name = "list_groups", description = "List the inventory's groups with their hosts.")
public final class ListGroupsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--names", description = "Print only group and host names, one per line (for completion).")
    boolean names;

    @Option(names = "--json", description = "Print the provisioner's inventory JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (json) {
            root.context().out().println(ProvisionerJson.pretty(root.client(spec).getTree("/inventory")));
            return 0;
        }
        InventoryView inventory = root.client(spec).inventory();
        if (names) {
            InventoryPrinter.names(inventory, root.context().out());
        } else {
            InventoryPrinter.groups(inventory, root.context().out());
        }
        return 0;
    }
}
