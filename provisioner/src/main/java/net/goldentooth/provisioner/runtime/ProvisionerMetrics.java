package net.goldentooth.provisioner.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.provisioner.jobs.EngineListener;

/** The provisioner's counters, on {@code /q/metrics}. */
@ApplicationScoped
public class ProvisionerMetrics implements EngineListener {

    @Inject
    MeterRegistry registry;

    @Override
    public void jobCreated() {
        registry.counter("goldentooth_provisioner_jobs_created").increment();
    }

    @Override
    public void targetFinished(TargetState state) {
        registry.counter("goldentooth_provisioner_targets_finished", "state", state.wire()).increment();
    }

    @Override
    public void progressIgnored() {
        registry.counter("goldentooth_provisioner_progress_ignored").increment();
    }

    @Override
    public void progressDuplicate() {
        registry.counter("goldentooth_provisioner_progress_duplicates").increment();
    }

    public void deadLettered(String topic, String reason) {
        registry.counter("goldentooth_provisioner_dead_letters", "topic", topic).increment();
    }
}
