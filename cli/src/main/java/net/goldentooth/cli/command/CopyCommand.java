package net.goldentooth.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.ssh.NodeAddress;
import net.goldentooth.cli.ssh.Transfer;
import net.goldentooth.events.api.InventoryView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cp SRC DST}: SFTP straight from this machine to the nodes (the provisioner only supplies
 * the inventory's addresses). Node to node goes through this machine: the file is fetched and
 * checked once, then sent to every destination, so nodes never need keys for each other.
 */
@Command(name = "cp", description = "Copy a file over SFTP: local to nodes (HOSTS:/path, names or groups, "
        + "comma-separated), a node to local (HOST:/path), or node to nodes. A SHA-256 checksum verifies "
        + "every copy; the file is written under a temporary name and renamed, so a failed copy leaves "
        + "the destination as it was.")
public final class CopyCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    SshOptions ssh;

    @Parameters(index = "0", paramLabel = "SRC", description = "A local path or HOST:/path.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "A local path or HOSTS:/path.")
    String destination;

    /** {@code host:/path} or a local path; a local path with a colon can be written {@code ./a:b}. */
    record Location(String hosts, String path) {
        static Location parse(String text) {
            int colon = text.indexOf(':');
            int slash = text.indexOf('/');
            if (colon > 0 && (slash < 0 || colon < slash)) {
                return new Location(text.substring(0, colon), text.substring(colon + 1));
            }
            return new Location(null, text);
        }

        boolean remote() {
            return hosts != null;
        }
    }

    @Override
    public Integer call() {
        Location from = Location.parse(source);
        Location to = Location.parse(destination);
        if (!from.remote() && !to.remote()) {
            throw new ParameterException(spec.commandLine(), "one side must be on a node: HOST:/path");
        }
        if ((from.remote() && from.path().isEmpty()) || (to.remote() && to.path().isEmpty())) {
            throw new ParameterException(spec.commandLine(), "a node side needs a path: HOST:/path");
        }
        if (!from.remote() && !Files.isRegularFile(Path.of(from.path()))) {
            throw new ParameterException(spec.commandLine(), "no such local file: " + from.path());
        }
        InventoryView inventory = root.client(spec).inventory();
        List<NodeAddress> sources = from.remote() ? select(inventory, from.hosts()) : List.of();
        List<NodeAddress> targets = to.remote() ? select(inventory, to.hosts()) : List.of();
        if (sources.size() > 1) {
            throw new ParameterException(spec.commandLine(), "the source must be one node, '" + from.hosts()
                    + "' is " + sources.size());
        }
        Transfer transfer = new Transfer(ssh.login(root.context().env()));
        List<Transfer.Result> results = new ArrayList<>();
        if (!from.remote()) {
            results.addAll(uploadToAll(transfer, Path.of(from.path()), targets, to.path()));
        } else if (!to.remote()) {
            results.add(transfer.download(sources.get(0), from.path(), Path.of(to.path())));
        } else {
            results.addAll(relay(transfer, sources.get(0), from.path(), targets, to.path()));
        }
        ExitCode code = ExitCode.SUCCESS;
        for (Transfer.Result r : results) {
            (r.outcome() == ExitCode.SUCCESS ? root.context().out() : root.context().err()).println(r.line());
            code = code.worst(r.outcome());
        }
        return code.code();
    }

    private List<NodeAddress> select(InventoryView inventory, String hosts) {
        try {
            return NodeAddress.select(inventory, hosts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Sends the file to every destination in parallel. */
    private static List<Transfer.Result> uploadToAll(Transfer transfer, Path file, List<NodeAddress> targets,
                                                     String path) {
        return targets.parallelStream().map(node -> transfer.upload(file, node, path)).toList();
    }

    private static List<Transfer.Result> relay(Transfer transfer, NodeAddress from, String fromPath,
                                               List<NodeAddress> targets, String toPath) {
        Path staging;
        try {
            staging = Files.createTempDirectory("goldentooth-cp");
        } catch (java.io.IOException e) {
            return List.of(new Transfer.Result(from.node(), ExitCode.FAILED, "no local staging directory: "
                    + e.getMessage()));
        }
        Path local = staging.resolve(Path.of(fromPath).getFileName().toString());
        try {
            Transfer.Result fetched = transfer.download(from, fromPath, local);
            if (fetched.outcome() != ExitCode.SUCCESS) {
                return List.of(fetched);
            }
            return uploadToAll(transfer, local, targets, toPath);
        } finally {
            try {
                Files.deleteIfExists(local);
                Files.deleteIfExists(staging);
            } catch (java.io.IOException ignored) {
                // a leftover file in the temporary directory does not change the copy's result
            }
        }
    }
}
