package net.goldentooth.cli.command;

import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pipe}: each line of stdin is a command, run as its own job, in order. */
@Command(name = "pipe", description = {
        "Run each line of standard input as a command on the nodes <pattern> selects, one job per line, in order.",
        "Blank lines and lines starting with # are skipped. Stops at the first line that does not succeed",
        "everywhere unless --keep-going; the exit code is then the most serious of all lines."})
public final class PipeCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Option(names = "--keep-going", description = "Run every line even after one did not succeed.")
    boolean keepGoing;

    @Parameters(index = "0", paramLabel = "<pattern>", description = "Ansible host pattern.")
    String pattern;

    @Override
    public Integer call() {
        options.validate(spec);
        RunOptions.requirePattern(spec, pattern);
        List<String> commands = PipeLines.commands(StandardInput.readAll(root.context()));
        if (commands.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "pipe: no commands on standard input (blank lines and # comments are skipped)");
        }
        ExitCode result = ExitCode.SUCCESS;
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            root.context().err().println("==> " + command);
            JobRunner runner = new JobRunner(root.client(spec), root.context(), options);
            ExitCode exit = runner.run(options.request(JobKind.COMMAND, pattern, command, null,
                    String.valueOf(i + 1), Users.current(root.context())));
            result = result.worst(exit);
            if (exit != ExitCode.SUCCESS && !keepGoing && i < commands.size() - 1) {
                root.context().err().println("goldentooth: pipe stopped after '" + command + "' (exit "
                        + exit.code() + "); " + (commands.size() - i - 1)
                        + " command(s) not run; --keep-going runs them anyway");
                break;
            }
        }
        return result.code();
    }
}
