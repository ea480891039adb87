package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.client.PkiClient;
import net.goldentooth.cli.render.CertsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Command(name = "status", description = "Show whether the CA is initialised, its subjects, validity and SSH CA fingerprints.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        @Mixin
        PkiOptions pki;

        @Override
        public Integer call() throws InterruptedException {
            return pki.show(parent.root, spec, PkiClient::status, CertsTable::render);
        }
    }

    @Command(name = "init", description = "Initialise the CA if it is not (idempotent), then show it.")
    static final class Init implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        @Mixin
        PkiOptions pki;

        @Override
        public Integer call() throws InterruptedException {
            return pki.show(parent.root, spec, PkiClient::init, CertsTable::render);
        }
    }
}
