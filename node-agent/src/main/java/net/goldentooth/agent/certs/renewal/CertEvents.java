package net.goldentooth.agent.certs.renewal;

import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;

/** Where the renewal loop's messages go: {@code cert.requested}, {@code cert.renewed}, {@code cert.renewal-failed}. */
public interface CertEvents {

    void request(CertRequest request);

    void renewed(CertRenewed renewed);

    void failed(CertRenewalFailed failed);
}
