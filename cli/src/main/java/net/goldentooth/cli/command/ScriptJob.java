package net.goldentooth.cli.command;

import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code batch} and {@code heredoc}: a script fed to {@code bash -s} on every target. */
final class ScriptJob {

    /** The command the agents run; the script arrives as its standard input. */
    static final String SHELL = "bash -s";

    /** Options and pattern are checked by the caller before it reads the script. */
    static int run(RootCommand root, CommandSpec spec, RunOptions options, String pattern, String script,
                   String emptyMessage) {
        if (script.isBlank()) {
            throw new ParameterException(spec.commandLine(), emptyMessage);
        }
        JobRunner runner = new JobRunner(root.client(spec), root.context(), options);
        return runner.run(options.request(JobKind.COMMAND, pattern, SHELL, script, null,
                Users.current(root.context()))).code();
    }

    private ScriptJob() {
    }
}
