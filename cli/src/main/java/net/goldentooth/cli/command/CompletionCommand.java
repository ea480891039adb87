package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.completion.BashCompletion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code completion bash}: prints the shell completion script. */
@Command(name = "completion", description = "Print the bash completion script: source <(goldentooth completion bash)")
public final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "<shell>", description = "The shell; only bash is supported.")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new ParameterException(spec.commandLine(), "completion: unsupported shell '" + shell
                    + "'; only bash is supported");
        }
        root.context().out().print(BashCompletion.script(spec.root()));
        root.context().out().flush();
        return 0;
    }
}
