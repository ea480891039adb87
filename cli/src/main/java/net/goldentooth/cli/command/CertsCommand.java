package net.goldentooth.cli.command;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.PkiClient;
import net.goldentooth.cli.render.CertsTable;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.cert.CertLineageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--json", description = "Print pki-service's JSON.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        PkiClient client = pki.client(root, spec);
        List<CertLineageView> lineages;
        try {
            lineages = client.certs();
        } catch (IOException e) {
            return PkiOptions.unavailable(root, client, e);
        }
        if (json) {
            root.context().out().println(EventCodec.encodeToString(lineages));
        } else {
            CertsTable.render(lineages, root.context().out());
        }
        return ExitCode.SUCCESS.code();
    }
}
