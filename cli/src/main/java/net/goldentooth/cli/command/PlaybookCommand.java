package net.goldentooth.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code setup_<name> [--limit PATTERN] [-e key=value]...}: runs {@code ansible-playbook
 * setup_<name>.yaml} on the provisioner host as a job (kind {@code playbook}) and prints it like any
 * job. {@code goldentooth setup_consul ...} is this command: {@link #rewrite} turns the seed's
 * spelling into {@code playbook setup_consul ...}.
 */
@Command(name = "playbook", description = {"Run an Ansible playbook on the provisioner host as a job:",
        "  goldentooth setup_<name> [--limit PATTERN] [-e key=value]...",
        "(the same as: goldentooth playbook setup_<name> ...). 'goldentooth playbooks' lists them."})
public final class PlaybookCommand implements Callable<Integer> {

    /** Playbook runs take minutes, not the provisioner's one-minute default for commands. */
    static final int DEFAULT_TIMEOUT_SECONDS = 3600;
    private static final Pattern NAME = Pattern.compile("setup_[a-z0-9][a-z0-9_-]*");
    private static final Pattern EXTRA_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=[^\\r\\n]*");

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    RunOptions options;

    @Parameters(index = "0", paramLabel = "setup_<name>", description = "The playbook, e.g. setup_consul.")
    String playbook;

    @Option(names = "--limit", paramLabel = "PATTERN", description = "Ansible's --limit: the hosts to run on.")
    String limit;

    @Option(names = {"-e", "--extra-var"}, paramLabel = "key=value",
            description = "An extra variable (repeatable); the value is taken literally, spaces included.")
    List<String> extraVars = new ArrayList<>();

    @Override
    public Integer call() {
        if (!NAME.matcher(playbook).matches()) {
            throw new ParameterException(spec.commandLine(), "'" + playbook + "' is not a playbook name: "
                    + "setup_ then lower-case letters, digits, '_' or '-' (see 'goldentooth playbooks')");
        }
        StringBuilder vars = new StringBuilder();
        for (String pair : extraVars) {
            if (!EXTRA_VAR.matcher(pair).matches()) {
                throw new ParameterException(spec.commandLine(), "-e '" + pair + "' is not key=value "
                        + "(a key of letters, digits and '_', a value on one line)");
            }
            vars.append(pair).append('\n');
        }
        return ProvisionerRunJob.run(root, spec, options, JobKind.PLAYBOOK,
                limit == null || limit.isBlank() ? "all" : limit, playbook, vars.isEmpty() ? null : vars.toString(),
                DEFAULT_TIMEOUT_SECONDS);
    }

    /**
     * {@code setup_<name> ...} → {@code playbook setup_<name> ...}: the first word that is not a
     * global option (or its value) decides; everything else is left as it is.
     */
    public static String[] rewrite(String... args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            boolean takesValue = (args[i].equals("--provisioner") || args[i].equals("--token"));
            i += takesValue ? 2 : 1;
        }
        if (i >= args.length || !args[i].startsWith("setup_")) {
            return args;
        }
        String[] rewritten = new String[args.length + 1];
        System.arraycopy(args, 0, rewritten, 0, i);
        rewritten[i] = "playbook";
        System.arraycopy(args, i, rewritten, i + 1, args.length - i);
        return rewritten;
    }
}
