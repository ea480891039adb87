package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.client.JobSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code job <id>}: one job, printed like a finished command, with the same exit code. */
@Command(name = "job", description = {"Show one job like a finished command, with the same exit code.",
        "Targets that have not finished yet count as exit code 3.",
        "'job approve <id>' opens the gate a job waits at (the Kubernetes upgrade)."},
        subcommands = ApproveCommand.class)
public final class JobCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    // Optional for picocli so that 'job approve <id>' parses; required by call() below.
    @Parameters(index = "0", arity = "0..1", paramLabel = "<id>", description = "The job id.")
    String jobId;

    @Option(names = "--json", description = "Print the job status as JSON.")
    boolean json;

    @Option(names = "--each", description = "Print every target's result even when there are more than 100.")
    boolean each;

    @Override
    public Integer call() {
        if (jobId == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: '<id>'");
        }
        if (each && json) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--each cannot be combined with --json, which already prints every target");
        }
        JobSnapshot snapshot = root.client(spec).job(jobId);
        return JobRunner.print(snapshot, false, json, each, root.context()).code();
    }
}
