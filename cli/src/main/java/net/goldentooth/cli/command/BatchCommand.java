package net.goldentooth.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code batch}: a local script file run by {@code bash -s} on the nodes a pattern selects. */
@Command(name = "batch", description = "Run a local script file with bash on the nodes <pattern> selects "
        + "(the script is sent as standard input of 'bash -s').")
public final class BatchCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Parameters(index = "0", paramLabel = "<script>", description = "The local script file.")
    Path script;

    @Parameters(index = "1", paramLabel = "<pattern>", description = "Ansible host pattern.")
    String pattern;

    @Override
    public Integer call() {
        options.validate(spec);
        RunOptions.requirePattern(spec, pattern);
        String text;
        try {
            text = Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the script '" + script + "': "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        return ScriptJob.run(root, spec, options, pattern, text, "the script '" + script + "' is empty");
    }
}
