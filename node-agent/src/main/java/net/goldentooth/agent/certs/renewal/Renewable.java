package net.goldentooth.agent.certs.renewal;

import java.time.Instant;
import net.goldentooth.events.cert.CertIssued;

/** One lineage the renewal loop drives, on the loop's single thread: an X.509 one or an SSH certificate (host or root user). */
public interface Renewable {

    String lineage();

    /** One look at the lineage: act if its schedule says so. */
    void tick();

    /** pki's answer for this lineage; answers to other requests are ignored. */
    void onIssued(CertIssued issued);

    /** notAfter of the installed certificate, null when there is none (read from any thread). */
    Instant notAfter();
}
