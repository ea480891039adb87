package net.goldentooth.cli.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.function.BiConsumer;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.PkiClient;
import net.goldentooth.events.EventCodec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --pki URL} and {@code --json}, and the one way the pki commands call pki-service and print. */
public final class PkiOptions {

    @Option(names = "--pki", paramLabel = "URL",
            description = "pki-service's base URL (default: $" + PkiClient.ENV + ", else " + PkiClient.DEFAULT + ").")
    String pki;

    @Option(names = "--json", description = "Print pki-service's JSON.")
    boolean json;

    /** One call to pki-service. */
    interface Call<T> {
        T on(PkiClient client) throws IOException, InterruptedException;
    }

    /** Calls pki-service and prints the answer as JSON or with {@code render}; exit 5 when it cannot be read. */
    <T> int show(RootCommand root, CommandSpec spec, Call<T> call, BiConsumer<T, PrintStream> render)
            throws InterruptedException {
        PkiClient client;
        try {
            client = new PkiClient(Endpoint.resolve(pki, "--pki", PkiClient.ENV, PkiClient.DEFAULT, root.context().env()),
                    root.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        T answer;
        try {
            answer = call.on(client);
        } catch (IOException e) {
            root.context().err().println("goldentooth: pki-service at " + client.base() + " cannot be reached or refused: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
            root.context().err().println("  Is it running? './goldentooth up' starts one locally; "
                    + "--pki URL or $" + PkiClient.ENV + " points elsewhere.");
            return ExitCode.UNAVAILABLE.code();
        }
        if (json) {
            root.context().out().println(EventCodec.encodeToString(answer));
        } else {
            render.accept(answer, root.context().out());
        }
        return ExitCode.SUCCESS.code();
    }
}
