package net.goldentooth.cli.command;

import java.util.concurrent.Callable;
import net.goldentooth.cli.client.PkiClient;
import net.goldentooth.cli.render.CertsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code certs}: every certificate lineage pki-service knows, with time left and last renewal. */
@Command(name = "certs", description = "List certificate lineages: node, service, notAfter, time left, "
        + "last renewal result and status (valid, warning, critical, emergency, expired, revoked, refused).")
public final class CertsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    PkiOptions pki;

    @Override
    public Integer call() throws InterruptedException {
        return pki.show(root, spec, PkiClient::certs, CertsTable::render);
    }
}
