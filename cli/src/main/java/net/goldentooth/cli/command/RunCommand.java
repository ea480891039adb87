package net.goldentooth.cli.command;

import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code command} and {@code command_root}: one shell command on the nodes a pattern selects. */
public abstract class RunCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Parameters(index = "0", paramLabel = "<pattern>",
            description = "Ansible host pattern: all, a group, names, 'a,b', globs, '!exclude', '&intersect'.")
    String pattern;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<command>",
            description = "The shell command; several words are joined with spaces.")
    List<String> command;

    abstract JobKind kind();

    @Override
    public Integer call() {
        options.validate(spec);
        RunOptions.requirePattern(spec, pattern);
        String line = String.join(" ", command);
        if (line.isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the command is empty");
        }
        JobRunner runner = new JobRunner(root.client(spec), root.context(), options);
        return runner.run(options.request(kind(), pattern, line, null, null, Users.current(root.context())))
                .code();
    }

    @Command(name = "command", description = "Run a shell command on the nodes <pattern> selects, as the agent's user.")
    public static final class User extends RunCommand {
        @Override
        JobKind kind() {
            return JobKind.COMMAND;
        }
    }

    @Command(name = "command_root", description = "Run a shell command as root (agents must allow it; admins only).")
    public static final class Root extends RunCommand {
        @Override
        JobKind kind() {
            return JobKind.COMMAND_ROOT;
        }
    }
}
