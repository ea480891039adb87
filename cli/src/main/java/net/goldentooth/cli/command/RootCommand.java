package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.client.Credentials;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.ProvisionerClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code goldentooth}: holds the options every subcommand shares and the way to the provisioner. */
@Command(name = "goldentooth",
        description = "Run commands on the Goldentooth nodes and look at jobs, inventory and node status "
                + "through the provisioner's REST API.",
        synopsisSubcommandLabel = "<command>",
        subcommands = {
                CommandLine.HelpCommand.class,
                RunCommand.User.class,
                RunCommand.Root.class,
                PipeCommand.class,
                BatchCommand.class,
                HeredocCommand.class,
                ListGroupsCommand.class,
                JobsCommand.class,
                JobCommand.class,
                StatusCommand.class,
                ServicesCommand.class,
                AlertsCommand.class, LogsCommand.class,
                StorageCommand.class,
                CertsCommand.class, PkiCommand.class,
                BootstrapCommand.class, CopyCommand.class, ShellCommand.class,
                PlaybookCommand.class, PlaybooksCommand.class, K8sCommand.class, RenderCommand.class,
                CompletionCommand.class, SimulateCommand.class
        },
        footerHeading = "%nProvisioner:%n",
        footer = {
                "  --provisioner URL, else $" + Endpoint.ENV + ", else " + Endpoint.DEFAULT + ".",
                "  Install completion: source <(goldentooth completion bash)"
        },
        exitCodeListHeading = "%nExit codes (the most serious wins: 1 over 4 over 3):%n",
        exitCodeList = {
                "0:every target succeeded",
                "1:at least one target failed (ran and exited non-zero)",
                "2:usage error: bad arguments, unknown command, or the provisioner refused the request (4xx)",
                "3:at least one target unreachable, timed out or unfinished; none failed or was rejected",
                "4:at least one target rejected its task; none failed",
                "5:the provisioner could not be reached, broke the connection or answered 5xx"
        })
public final class RootCommand implements Callable<Integer> {

    private final CliContext context;
    private ProvisionerClient client;

    @Spec
    CommandSpec spec;

    @Option(names = "--provisioner", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The provisioner's base URL (default: $" + Endpoint.ENV + ", else " + Endpoint.DEFAULT + ").")
    String provisioner;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token for the REST APIs (default: $" + Credentials.ENV + ", else the file $"
                    + Credentials.FILE_ENV + ", else the admin token of ./goldentooth up).")
    String token;

    @Mixin
    HelpOption help;

    public RootCommand(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    /** The client, created on first use so commands that need no provisioner never load HTTP or JSON classes. */
    ProvisionerClient client(CommandSpec caller) {
        if (client == null) {
            try {
                client = new ProvisionerClient(Endpoint.resolve(provisioner, context.env()), credentials());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(caller.commandLine(), e.getMessage());
            }
        }
        return client;
    }

    /** The bearer token for every service's API; see {@link Credentials}. */
    public Credentials credentials() {
        return Credentials.resolve(token, context.env());
    }

    @Override
    public Integer call() {
        throw new MissingCommandException(spec.commandLine());
    }

    /** {@code goldentooth} alone: a usage error that is answered with the whole usage. */
    public static final class MissingCommandException extends CommandLine.ParameterException {
        MissingCommandException(CommandLine line) {
            super(line, "Missing command");
        }
    }
}
