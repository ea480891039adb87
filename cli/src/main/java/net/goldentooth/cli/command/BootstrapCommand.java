package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bootstrap <pattern>}: a job of kind {@code bootstrap}, which the provisioner runs over SSH:
 * upload the node agent, write its configuration, enable and start its service. Re-running it on a
 * healthy node reports every step unchanged.
 */
@Command(name = "bootstrap", description = "Install and start the node agent over SSH on the nodes <pattern> "
        + "selects (files, configuration, service; each step unchanged when already in place).")
public final class BootstrapCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Parameters(index = "0", paramLabel = "<pattern>", description = "Ansible host pattern of the nodes to bootstrap.")
    String pattern;

    @Override
    public Integer call() {
        options.validate(spec);
        RunOptions.requirePattern(spec, pattern);
        JobRunner runner = new JobRunner(root.client(spec), root.context(), options);
        return runner.run(options.request(JobKind.BOOTSTRAP, pattern, null, null, null, Users.current(root.context())))
                .code();
    }
}
