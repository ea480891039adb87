package net.goldentooth.agent.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.config.HostedNodes;
import net.goldentooth.agent.facts.CollectedFacts;
import net.goldentooth.agent.facts.FactsCadence;
import net.goldentooth.agent.facts.FactsGatherer;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.simulation.PowerSwitch;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import org.jboss.logging.Logger;

/**
 * Gathers facts every check interval on one scheduler thread and publishes {@code node.facts}
 * (key: node) through the {@link Outbox} when {@link FactsCadence} says so, with the outbox's last
 * delivery gap. Simulated nodes reuse the real node's facts
 * under their own name, a slice of them per check, marked {@code simulated}; a simulated node whose
 * {@link PowerSwitch} is off publishes nothing.
 */
public final class FactsPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FactsPublisher.class);

    private final Outbox outbox;
    private final FactsGatherer gatherer;
    private final FactsCadence cadence;
    private final HostedNodes nodes;
    private final String agentVersion;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Set<String> standIns;
    private final PowerSwitch power;
    private final long[] sequences;
    private final ScheduledExecutorService scheduler;
    private long check;

    /**
     * @param standIns the hosted nodes that do not exist (the scale test's simulated nodes, or all of them
     *                 under {@code ./goldentooth up --simulate}): their facts say {@code simulated}
     */
    public FactsPublisher(Outbox outbox, FactsGatherer gatherer, FactsCadence cadence, HostedNodes nodes,
                          String agentVersion, AgentMetrics metrics, Clock clock, Set<String> standIns,
                          PowerSwitch power) {
        this.outbox = outbox;
        this.gatherer = gatherer;
        this.cadence = cadence;
        this.nodes = nodes;
        this.agentVersion = agentVersion;
        this.metrics = metrics;
        this.clock = clock;
        this.standIns = Set.copyOf(standIns);
        this.power = power;
        this.sequences = new long[nodes.size()];
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "facts-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts at once (first facts right after start-up), then every {@code checkInterval}. */
    public void start(Duration checkInterval) {
        scheduler.scheduleWithFixedDelay(this::checkSafely, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            // A failed round must not cancel the schedule; the next round tries again.
            LOG.errorf(e, "facts round failed");
        }
    }

    void check() {
        CollectedFacts facts = gatherer.gather();
        Instant now = clock.instant();
        metrics.factsGathered(facts.forNode(nodes.primary(), sequences[0], agentVersion, now));
        long sent = 0;
        if (cadence.due(now, facts.slowFacts()) && power.isOn(nodes.primary())) {
            publish(0, nodes.primary(), facts, now);
            sent++;
        }
        List<String> simulated = nodes.simulated();
        for (int position : cadence.simulatedDue(simulated.size(), check++)) {
            if (power.isOn(simulated.get(position))) {
                // Sequences are indexed like HostedNodes.all(): the real node first.
                publish(position + 1, simulated.get(position), facts, now);
                sent++;
            }
        }
        metrics.factsPublished(sent);
    }

    private void publish(int index, String node, CollectedFacts facts, Instant now) {
        byte[] payload = EventCodec.encode(facts.forNode(node, sequences[index]++, agentVersion, now,
                outbox.backlog().lastGap(), standIns.contains(node)));
        outbox.facts(node, payload, CloudEventHeaders.forEvent(Topics.NODE_FACTS, AgentSources.of(node), now));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        gatherer.close();
    }
}
