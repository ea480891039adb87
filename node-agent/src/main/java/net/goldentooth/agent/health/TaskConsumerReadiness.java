package net.goldentooth.agent.health;

import jakarta.enterprise.context.ApplicationScoped;
import net.goldentooth.agent.AgentLifecycle;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the loop that reads {@code job.tasks} runs: without it, no task reaches this node. */
@Readiness
@ApplicationScoped
public class TaskConsumerReadiness implements HealthCheck {

    private final AgentLifecycle agent;

    public TaskConsumerReadiness(AgentLifecycle agent) {
        this.agent = agent;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("job.tasks consumer").status(agent.taskConsumerRunning()).build();
    }
}
