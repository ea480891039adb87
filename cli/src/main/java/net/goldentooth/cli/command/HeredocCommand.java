package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code heredoc}: standard input is a script for {@code bash -s}, as in {@code <<'EOF' ... EOF}. */
@Command(name = "heredoc", description = "Run standard input as a bash script on the nodes <pattern> selects, "
        + "e.g. goldentooth heredoc all <<'EOF' ... EOF")
public final class HeredocCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Parameters(index = "0", paramLabel = "<pattern>", description = "Ansible host pattern.")
    String pattern;

    @Override
    public Integer call() {
        options.validate(spec);
        RunOptions.requirePattern(spec, pattern);
        String script = StandardInput.readAll(root.context());
        return ScriptJob.run(root, spec, options, pattern, script, "heredoc: no script on standard input");
    }
}
