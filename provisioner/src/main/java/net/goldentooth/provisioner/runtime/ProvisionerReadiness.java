package net.goldentooth.provisioner.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the job table is rebuilt from job.status and every consumer loop runs. */
@Readiness
@ApplicationScoped
public class ProvisionerReadiness implements HealthCheck {

    @Inject
    ProvisionerApp app;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("provisioner").status(app.ready()).build();
    }
}
