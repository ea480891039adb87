package net.goldentooth.pki.desk;

import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.TrustBundle;

/** What the desk publishes; each future completes once the broker acknowledged the record. */
public interface PkiOutbox {

    CompletableFuture<?> issued(CertIssued answer);

    CompletableFuture<?> expiring(CertExpiring event);

    CompletableFuture<?> trust(TrustBundle bundle);

    /** Sends what is buffered now instead of after the linger time. */
    void flush();
}
