package net.goldentooth.agent.certs.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;

/** Collects what a lineage publishes, for the lineage tests. */
public final class RecordedCertEvents implements CertEvents {
    public final List<CertRequest> requests = new ArrayList<>();
    public final List<CertRenewed> renewed = new ArrayList<>();
    public final List<CertRenewalFailed> failed = new ArrayList<>();

    @Override
    public void request(CertRequest request) {
        requests.add(request);
    }

    @Override
    public void renewed(CertRenewed event) {
        renewed.add(event);
    }

    @Override
    public void failed(CertRenewalFailed event) {
        failed.add(event);
    }

    public CertRequest onlyRequest() {
        assertEquals(1, requests.size(), requests.toString());
        return requests.get(0);
    }
}
