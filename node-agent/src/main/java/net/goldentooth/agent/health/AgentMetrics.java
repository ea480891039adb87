package net.goldentooth.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import net.goldentooth.agent.delivery.Backlog;
import net.goldentooth.agent.tasks.admission.RejectionReason;
import net.goldentooth.events.facts.NodeFacts;

/** The agent's counters on {@code /q/metrics}, and its node's facts as node_exporter gauges. */
public final class AgentMetrics {

    private final MeterRegistry registry;
    private final NodeExporterMetrics nodeExporter;
    private volatile KernelCounterMetrics kernelCounters;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.nodeExporter = new NodeExporterMetrics(registry);
    }

    /** The newest facts of the node the agent runs on, exported under node_exporter's names. */
    public void factsGathered(NodeFacts primary) {
        nodeExporter.update(primary);
        KernelCounterMetrics counters = kernelCounters;
        if (counters != null) {
            counters.refresh();
        }
    }

    /**
     * Exports the CPU, network and disk counters of the machine the agent runs on under node_exporter's
     * names, read from {@code proc} when scraped; the facts cycle picks up new CPUs, interfaces and disks.
     */
    public void kernelCounters(Path proc, Clock clock) {
        kernelCounters = new KernelCounterMetrics(registry, proc, clock);
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

    /** The outbox's backlog, read when scraped. */
    public void outbox(Backlog<?> backlog) {
        Gauge.builder("goldentooth.agent.outbox.progress.waiting", backlog, Backlog::progressInFlight)
                .description("job.progress records sent and not yet acknowledged by the broker").register(registry);
        FunctionCounter.builder("goldentooth.agent.outbox.progress.dropped", backlog, Backlog::progressDropped)
                .description("job.progress records lost: refused past the outbox bound, or failed for good")
                .register(registry);
        FunctionCounter.builder("goldentooth.agent.outbox.facts.coalesced", backlog, Backlog::factsCoalesced)
                .description("facts replaced by newer ones while waiting for the broker").register(registry);
        FunctionCounter.builder("goldentooth.agent.delivery.gaps", backlog, Backlog::gaps)
                .description("times the broker acknowledged records late (a cut or a broker outage), once over")
                .register(registry);
        Gauge.builder("goldentooth.agent.delivery.last.gap.seconds", backlog, b -> b.lastGap() == null ? 0
                        : Duration.between(b.lastGap().from(), b.lastGap().to()).toMillis() / 1000.0)
                .description("length of the most recent delivery gap").register(registry);
    }
}
