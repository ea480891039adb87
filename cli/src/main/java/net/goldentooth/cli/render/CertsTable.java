package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.util.List;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertLineageView;

/** {@code goldentooth certs} and {@code goldentooth pki status}. */
public final class CertsTable {

    /** One row per lineage: node, service, notAfter, time left, last renewal result, status. */
    public static void render(List<CertLineageView> lineages, PrintStream out) {
        if (lineages.isEmpty()) {
            out.println("no certificates issued yet");
            return;
        }
        Table table = new Table("NODE", "SERVICE", "LINEAGE", "NOT AFTER", "LEFT", "LAST RENEWAL", "STATUS");
        for (CertLineageView l : lineages) {
            String status = l.status() + (l.lastRefusal() == null ? "" : " (last refusal: " + l.lastRefusal() + ")");
            table.add(orDash(l.node()), orDash(l.service()), l.lineage(),
                    l.notAfter() == null ? "-" : l.notAfter().toString(),
                    l.secondsLeft() == null ? "-" : left(l.secondsLeft()), orDash(l.lastRenewal()), status);
        }
        table.print(out);
    }

    public static void render(CaStatus ca, PrintStream out) {
        if (!ca.initialised()) {
            out.println("CA: not initialised ('goldentooth pki init' initialises it)");
            return;
        }
        out.println("CA: initialised");
        out.println("  root:         " + ca.rootSubject() + ", until " + ca.rootNotAfter());
        out.println("  intermediate: " + ca.intermediateSubject() + ", until " + ca.intermediateNotAfter());
        out.println("  SSH host CA:  " + ca.sshHostCaFingerprint());
        out.println("  SSH user CA:  " + ca.sshUserCaFingerprint());
        out.println("  lineages:     " + ca.lineages() + " (" + ca.revokedLineages() + " revoked)");
        out.println("  trust bundle: revision " + ca.trustRevision());
    }

    /** Time left as {@code 23h 59m}, {@code 6d 4h}, or {@code expired 2d 1h ago}. */
    static String left(long seconds) {
        long abs = Math.abs(seconds);
        String text = abs >= 86400 ? abs / 86400 + "d " + abs % 86400 / 3600 + "h"
                : abs >= 3600 ? abs / 3600 + "h " + abs % 3600 / 60 + "m"
                : abs / 60 + "m " + abs % 60 + "s";
        return seconds < 0 ? "expired " + text + " ago" : text;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private CertsTable() {
    }
}
