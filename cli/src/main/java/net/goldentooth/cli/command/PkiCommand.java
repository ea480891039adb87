package net.goldentooth.cli.command;

import java.io.IOException;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.PkiClient;
import net.goldentooth.cli.render.CertsTable;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.cert.CaStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pki status} and {@code pki init}: the certificate authority itself. */
@Command(name = "pki", description = "The certificate authority: 'pki status' shows it, 'pki init' initialises it.",
        subcommands = {PkiCommand.Status.class, PkiCommand.Init.class})
public final class PkiCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new RootCommand.MissingCommandException(spec.commandLine());
    }

    /** The shape of both subcommands: call pki-service, print the CA status. */
    abstract static class CaCall implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        @Mixin
        PkiOptions pki;

        @Option(names = "--json", description = "Print pki-service's JSON.")
        boolean json;

        abstract CaStatus fetch(PkiClient client) throws IOException, InterruptedException;

        @Override
        public Integer call() throws InterruptedException {
            PkiClient client = pki.client(parent.root, spec);
            CaStatus status;
            try {
                status = fetch(client);
            } catch (IOException e) {
                return PkiOptions.unavailable(parent.root, client, e);
            }
            if (json) {
                parent.root.context().out().println(EventCodec.encodeToString(status));
            } else {
                CertsTable.render(status, parent.root.context().out());
            }
            return ExitCode.SUCCESS.code();
        }
    }

    @Command(name = "status", description = "Show whether the CA is initialised, its subjects, validity and SSH CA fingerprints.")
    static final class Status extends CaCall {
        @Override
        CaStatus fetch(PkiClient client) throws IOException, InterruptedException {
            return client.status();
        }
    }

    @Command(name = "init", description = "Initialise the CA if it is not (idempotent), then show it.")
    static final class Init extends CaCall {
        @Override
        CaStatus fetch(PkiClient client) throws IOException, InterruptedException {
            return client.init();
        }
    }
}
