package net.goldentooth.monitor.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once alert state is restored and every consumer runs. */
@Readiness
@ApplicationScoped
public class MonitorReadiness implements HealthCheck {

    @Inject
    MonitorApp app;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("monitor alert state and consumers").status(app.ready()).build();
    }
}
