package net.goldentooth.cli.command;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.StorageClient;
import net.goldentooth.cli.render.StorageTable;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.storage.ReplicationState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code storage status|plan|replicate}: ZFS snapshots and replication from storage-service. */
@Command(name = "storage", description = "ZFS snapshots and replication (storage-service).",
        subcommands = {StorageCommand.Status.class, StorageCommand.Plan.class, StorageCommand.Replicate.class})
public final class StorageCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--storage", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "storage-service's base URL (default: $" + StorageClient.ENV + ", else " + StorageClient.DEFAULT + ").")
    String storage;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "storage needs a subcommand: status, plan or replicate");
    }

    StorageClient client(CommandSpec caller) {
        try {
            return new StorageClient(Endpoint.resolve(storage, "--storage", StorageClient.ENV, StorageClient.DEFAULT,
                    root.context().env()), root.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(caller.commandLine(), e.getMessage());
        }
    }

    /** A request as one call, mapping refusals to usage errors and an unreachable service to UNAVAILABLE. */
    interface Call {
        int run(StorageClient client) throws IOException, InterruptedException, StorageClient.Refused;
    }

    int call(CommandSpec caller, Call call) throws InterruptedException {
        StorageClient client = client(caller);
        try {
            return call.run(client);
        } catch (StorageClient.Refused e) {
            root.context().err().println("goldentooth: storage-service refused: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException e) {
            root.context().err().println("goldentooth: storage-service at " + client.base() + " cannot be read: " + e);
            root.context().err().println("  Is it running? './goldentooth up' starts one locally; "
                    + "--storage URL or $" + StorageClient.ENV + " points elsewhere.");
            return ExitCode.UNAVAILABLE.code();
        }
    }

    /** What every storage subcommand shares: the way to the service and {@code --json}. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        StorageCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--json", description = "Print storage-service's JSON.")
        boolean json;

        /** Prints the answer as JSON or through {@code render}, and returns the exit code {@code value} earns. */
        <T> int show(T value, Consumer<T> render, ToIntFunction<T> exitCode) {
            if (json) {
                parent.root.context().out().println(EventCodec.encodeToString(value));
            } else {
                render.accept(value);
            }
            return exitCode.applyAsInt(value);
        }

        java.io.PrintStream out() {
            return parent.root.context().out();
        }
    }

    @Command(name = "status", description = "Per dataset and target: snapshot counts per period, last snapshot, "
            + "replication lag and state.")
    static final class Status extends Sub {
        @Override
        public Integer call() throws InterruptedException {
            return parent.call(spec, client -> show(client.status(),
                    view -> StorageTable.status(view, parent.root.context().clock().instant(), out()),
                    view -> ExitCode.SUCCESS.code()));
        }
    }

    @Command(name = "plan", description = "Dry run: what a snapshot run would take and destroy now, and what it "
            + "keeps beyond policy (replication bases).")
    static final class Plan extends Sub {
        @Parameters(paramLabel = "DATASET", description = "e.g. rpool/data")
        String dataset;

        @Override
        public Integer call() throws InterruptedException {
            return parent.call(spec, client -> show(client.plan(dataset), plan -> StorageTable.plan(plan, out()),
                    plan -> ExitCode.SUCCESS.code()));
        }
    }

    @Command(name = "replicate", description = "Replicate a dataset now, to one target or all; exit 1 unless every "
            + "target ends in sync.")
    static final class Replicate extends Sub {
        @Parameters(paramLabel = "DATASET", description = "e.g. rpool/data")
        String dataset;
        @Option(names = "--to", paramLabel = "NODE", description = "Only this target (default: every target).")
        String to;

        @Override
        public Integer call() throws InterruptedException {
            return parent.call(spec, client -> show(client.replicate(dataset, to),
                    results -> StorageTable.replicated(results, out()),
                    results -> results.stream().allMatch(r -> r.state() == ReplicationState.IN_SYNC)
                            ? ExitCode.SUCCESS.code() : ExitCode.FAILED.code()));
        }
    }
}
