package net.goldentooth.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;

/** A stand-in agent for ITs: publishes a node's facts every interval until stopped. */
public final class FactsFeeder implements AutoCloseable {

    private final TopicProbe probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** On the shared test broker. */
    public FactsFeeder(String node, Duration interval, Function<Instant, NodeFacts> facts) {
        this(KafkaBroker.shared().bootstrapServers(), node, interval, facts);
    }

    public FactsFeeder(String bootstrap, String node, Duration interval, Function<Instant, NodeFacts> facts) {
        probe = new TopicProbe(bootstrap);
        timer.scheduleAtFixedRate(() -> probe.send(Topics.NODE_FACTS, node, facts.apply(Instant.now())), 0,
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The agent stops: no more facts. */
    public void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    public TopicProbe probe() {
        return probe;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        probe.close();
    }
}
