package net.goldentooth.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.goldentooth.agent.tasks.admission.RejectionReason;
import net.goldentooth.events.facts.NodeFacts;

/** The agent's counters on {@code /q/metrics}, and its node's facts as node_exporter gauges. */
public final class AgentMetrics {

    private final MeterRegistry registry;
    private final NodeExporterMetrics nodeExporter;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.nodeExporter = new NodeExporterMetrics(registry);
    }

    /** The newest facts of the node the agent runs on, exported under node_exporter's names. */
    public void factsGathered(NodeFacts primary) {
        nodeExporter.update(primary);
    }

    public void taskAccepted() {
        registry.counter("goldentooth.agent.tasks.accepted").increment();
    }

    public void taskRejected(RejectionReason reason) {
        registry.counter("goldentooth.agent.tasks.rejected", "reason", reason.tag()).increment();
    }

    /** @param outcome {@code succeeded}, {@code failed} or {@code timed-out} */
    public void taskFinished(String outcome) {
        registry.counter("goldentooth.agent.tasks.finished", "outcome", outcome).increment();
    }

    public void deadLettered(String topic) {
        Counter.builder("goldentooth.agent.dead.letters").tag("topic", topic).register(registry).increment();
    }

    public void factsPublished(long count) {
        registry.counter("goldentooth.agent.facts.published").increment(count);
    }

    public void collectorTimedOut(String section) {
        registry.counter("goldentooth.agent.facts.collector.timeouts", "section", section).increment();
    }
}
