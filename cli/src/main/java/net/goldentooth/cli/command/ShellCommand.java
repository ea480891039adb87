package net.goldentooth.cli.command;

import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ssh.Broadcast;
import net.goldentooth.cli.ssh.InteractiveShell;
import net.goldentooth.cli.ssh.NodeAddress;
import net.goldentooth.events.api.InventoryView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code shell <hosts>}: one node is an interactive login shell on a PTY; several nodes are
 * broadcast mode, where each line typed runs on every node and the output comes back tagged.
 * SSH goes straight from this machine to the nodes; the provisioner supplies their addresses.
 */
@Command(name = "shell", description = "Open a shell on a node (PTY, interactive). For several nodes (names or "
        + "groups, comma-separated): broadcast mode, each line read runs on every node, output tagged "
        + "'<node>: '; every line runs in a fresh shell (cd does not carry over).")
public final class ShellCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    SshOptions ssh;

    @Parameters(index = "0", paramLabel = "<hosts>", description = "A node, or names and groups: 'a,b', 'workers'.")
    String hosts;

    @Override
    public Integer call() throws Exception {
        InventoryView inventory = root.client(spec).inventory();
        List<NodeAddress> nodes;
        try {
            nodes = NodeAddress.select(inventory, hosts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (nodes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "'" + hosts + "' selects no node");
        }
        var login = ssh.login(root.context().env());
        if (nodes.size() == 1 && !inventory.groups().containsKey(hosts.strip())) {
            return new InteractiveShell(login, root.context()).run(nodes.get(0)).code();
        }
        return new Broadcast(login, root.context()).run(nodes).code();
    }
}
