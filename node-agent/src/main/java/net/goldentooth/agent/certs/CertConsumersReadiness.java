package net.goldentooth.agent.certs;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the {@code cert.issued} and {@code pki.trust} consumers run: without them no certificate is renewed. */
@Readiness
@ApplicationScoped
public class CertConsumersReadiness implements HealthCheck {

    private final CertificateAgent certificates;

    public CertConsumersReadiness(CertificateAgent certificates) {
        this.certificates = certificates;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("certificate consumers").status(certificates.consumersRunning()).build();
    }
}
