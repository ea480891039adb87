package net.goldentooth.cli.command;

import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.PkiClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --pki URL}, shared by the commands that talk to pki-service. */
public final class PkiOptions {

    @Option(names = "--pki", paramLabel = "URL",
            description = "pki-service's base URL (default: $" + PkiClient.ENV + ", else " + PkiClient.DEFAULT + ").")
    String pki;

    PkiClient client(RootCommand root, CommandSpec spec) {
        try {
            return new PkiClient(Endpoint.resolve(pki, "--pki", PkiClient.ENV, PkiClient.DEFAULT, root.context().env()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static int unavailable(RootCommand root, PkiClient client, Exception e) {
        root.context().err().println("goldentooth: pki-service at " + client.base() + " cannot be reached or refused: "
                + (e.getMessage() == null ? e.toString() : e.getMessage()));
        root.context().err().println("  Is it running? './goldentooth up' starts one locally; "
                + "--pki URL or $" + PkiClient.ENV + " points elsewhere.");
        return net.goldentooth.cli.ExitCode.UNAVAILABLE.code();
    }
}
