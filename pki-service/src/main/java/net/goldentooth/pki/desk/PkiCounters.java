package net.goldentooth.pki.desk;

import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.RefusalReason;

/** The desk's counts, for the metrics endpoint. */
public interface PkiCounters {

    void issued(CertKind kind);

    void refused(RefusalReason reason);
}
