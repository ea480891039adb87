package net.goldentooth.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import net.goldentooth.cli.client.ProvisionerUnavailableException;
import net.goldentooth.cli.client.RequestRefusedException;
import net.goldentooth.cli.command.RootCommand;
import picocli.CommandLine;

/**
 * The {@code goldentooth} command. A plain program rather than a Quarkus one because it starts on
 * every call: only picocli is loaded up front; JSON and HTTP classes load when a command needs them.
 */
public final class Main {

    private static final String NAME = "goldentooth";

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        CliContext context = new CliContext(out, err, System.in, System.getenv(), Clock.systemUTC());
        System.exit(run(context, args));
    }

    /** Runs one invocation and returns its exit code; never calls {@link System#exit}. */
    public static int run(CliContext context, String... args) {
        CommandLine line = commandLine(context);
        return line.execute(net.goldentooth.cli.command.PlaybookCommand.rewrite(args));
    }

    /** The command tree with the streams, error handling and exit codes of this CLI. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine line = new CommandLine(new RootCommand(context));
        line.setOut(new PrintWriter(context.out(), true));
        line.setErr(new PrintWriter(context.err(), true));
        // "goldentooth command all ls -la": the remote command's own options are words of the command.
        for (String run : List.of("command", "command_root")) {
            line.getSubcommands().get(run).setUnmatchedOptionsArePositionalParams(true);
        }
        line.setParameterExceptionHandler(Main::usageError);
        line.setExecutionExceptionHandler((exception, commandLine, parseResult) ->
                failure(exception, commandLine, context.err()));
        return line;
    }

    private static int usageError(CommandLine.ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        if (exception instanceof RootCommand.MissingCommandException) {
            failed.usage(err);
            err.flush();
            return ExitCode.USAGE.code();
        }
        err.println(NAME + ": " + unknownCommand(exception).map(word -> "unknown command '" + word + "'")
                .orElse(exception.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        String name = failed.getCommandSpec().qualifiedName(" ");
        err.println(name.equals(NAME) ? "Try '" + NAME + " help'." : "Try '" + NAME + " help "
                + failed.getCommandName() + "'.");
        err.flush();
        return ExitCode.USAGE.code();
    }

    /** The word that is not a command, when the user's first word after goldentooth is none. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException exception) {
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                && exception.getCommandLine().getCommandSpec().parent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return Optional.of(unmatched.getUnmatched().get(0));
        }
        return Optional.empty();
    }

    private static int failure(Exception exception, CommandLine commandLine, PrintStream err) {
        if (exception instanceof RequestRefusedException refused) {
            err.println(NAME + ": the provisioner refused the request (HTTP " + refused.status() + "): "
                    + refused.getMessage());
            refused.hints().forEach(hint -> err.println("  hint: " + hint));
            return ExitCode.USAGE.code();
        }
        if (exception instanceof ProvisionerUnavailableException unavailable) {
            err.println(NAME + ": " + unavailable.getMessage());
            err.println("  Is the provisioner running? './goldentooth up' starts one locally; "
                    + "--provisioner URL or $GOLDENTOOTH_PROVISIONER points elsewhere.");
            return ExitCode.UNAVAILABLE.code();
        }
        if (exception instanceof java.io.UncheckedIOException io) {
            err.println(NAME + ": " + io.getMessage() + ": " + io.getCause().getMessage());
            return ExitCode.USAGE.code();
        }
        err.println(NAME + ": unexpected error in '" + commandLine.getCommandName() + "': " + exception);
        return ExitCode.UNAVAILABLE.code();
    }

    private Main() {
    }
}
