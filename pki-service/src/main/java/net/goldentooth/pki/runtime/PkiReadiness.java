package net.goldentooth.pki.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the certificate inventory is rebuilt and every consumer loop runs. */
@Readiness
@ApplicationScoped
public class PkiReadiness implements HealthCheck {

    @Inject
    PkiApp app;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pki-service").status(app.ready())
                .withData("initialised", app.initialised()).build();
    }
}
