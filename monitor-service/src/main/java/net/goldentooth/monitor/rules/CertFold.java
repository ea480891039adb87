package net.goldentooth.monitor.rules;

import java.time.Instant;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;

/**
 * Folds the certificate events of one lineage into what rules need. Pure; every function takes
 * the previous view (or null) and returns the next one. Events about an older certificate than
 * the newest known change nothing, so redelivery and reordering across topics are harmless.
 */
public final class CertFold {

    public static ObservedCert issued(ObservedCert prev, CertIssued e) {
        if (!e.issued() || e.notAfter() == null || olderThanKnown(prev, e.notAfter())) {
            return prev;
        }
        boolean same = prev != null && e.notAfter().equals(prev.notAfter());
        return new ObservedCert(e.lineage(), e.node(), e.service(), e.notBefore(), e.notAfter(),
                same ? prev.tier() : null, prev == null ? null : prev.failingSince(),
                prev == null ? null : prev.failureReason());
    }

    public static ObservedCert renewed(ObservedCert prev, CertRenewed e) {
        if (e.notAfter() == null || olderThanKnown(prev, e.notAfter())) {
            return prev;
        }
        Instant notBefore = null;
        if (prev != null && e.notAfter().equals(prev.notAfter())) {
            notBefore = prev.notBefore();
        } else if (prev != null && prev.lifetime() != null) {
            // cert.renewed carries no notBefore; a renewal keeps the lineage's lifetime.
            notBefore = e.notAfter().minus(prev.lifetime());
        }
        boolean sameCert = prev != null && e.notAfter().equals(prev.notAfter());
        return new ObservedCert(e.lineage(), e.node(), prev == null ? null : prev.service(), notBefore, e.notAfter(),
                sameCert ? prev.tier() : null, null, null);
    }

    public static ObservedCert renewalFailed(ObservedCert prev, CertRenewalFailed e) {
        Instant since = prev != null && prev.failingSince() != null ? prev.failingSince() : e.at();
        return new ObservedCert(e.lineage(), e.node(), prev == null ? null : prev.service(),
                prev == null ? null : prev.notBefore(), prev == null ? null : prev.notAfter(),
                prev == null ? null : prev.tier(), since, e.reason());
    }

    public static ObservedCert expiring(ObservedCert prev, CertExpiring e) {
        if (e.notAfter() == null || olderThanKnown(prev, e.notAfter())) {
            return prev;
        }
        boolean sameCert = prev != null && e.notAfter().equals(prev.notAfter());
        return new ObservedCert(e.lineage(), e.node(), e.service(), sameCert ? prev.notBefore() : null, e.notAfter(),
                e.tier() == null ? null : e.tier().wire(), prev == null ? null : prev.failingSince(),
                prev == null ? null : prev.failureReason());
    }

    private static boolean olderThanKnown(ObservedCert prev, Instant notAfter) {
        return prev != null && prev.notAfter() != null && notAfter.isBefore(prev.notAfter());
    }

    private CertFold() {
    }
}
