package net.goldentooth.agent.messaging;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import net.goldentooth.agent.config.HostedNodes;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.simulation.PowerSwitch;
import net.goldentooth.agent.tasks.TaskIntake;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;

/**
 * Reads this agent's share of {@code job.tasks}: only the partitions its hosted nodes route to,
 * assigned by hand (never a rebalance over the fleet's traffic), committing offsets in the group
 * {@code node-agent-<node>} so that a restarted agent resumes where it stopped. Records keyed for
 * other nodes of the same partition are skipped; undecodable ones are dead-lettered by the loop.
 */
public final class TaskConsumer implements AutoCloseable {

    /**
     * How long an idle agent consumer waits: the broker holds its empty fetch, and its poll blocks,
     * this long. A task that arrives ends both waits at once, so this costs no latency; at the
     * old shared 100 ms fetch wait and 500 ms poll an idle agent's three consumers cost more CPU than
     * everything else it does (bench/agent-footprint).
     */
    public static final Duration IDLE_WAIT = Duration.ofSeconds(5);

    private final ConsumerLoop<SignedTask> loop;

    public TaskConsumer(String bootstrapServers, HostedNodes nodes, TaskIntake intake, EventPublisher publisher,
                        AgentMetrics metrics) {
        this(bootstrapServers, nodes, intake, publisher, metrics, PowerSwitch.none());
    }

    /** As above; tasks for a simulated node whose {@code power} is off are skipped like another node's. */
    public TaskConsumer(String bootstrapServers, HostedNodes nodes, TaskIntake intake, EventPublisher publisher,
                        AgentMetrics metrics, PowerSwitch power) {
        this.loop = ConsumerLoop.builder(bootstrapServers, Topics.JOB_TASKS, SignedTask.class)
                .group(groupOf(nodes))
                .clientId("node-agent-" + nodes.primary() + "-tasks")
                .assign(partitionsOf(nodes))
                .start(ConsumerLoop.Start.LATEST)
                .fetchMaxWait(IDLE_WAIT)
                .pollTimeout(IDLE_WAIT)
                .keyFilter(node -> nodes.hosts(node) && power.isOn(node))
                .afterBatch(() -> {
                    intake.startAccepted();
                    // ACCEPTED and REJECTED are on the broker before the batch's offsets are committed.
                    publisher.flush();
                })
                .deadLetters(publisher, (topic, reason) -> metrics.deadLettered(topic))
                .handler(delivery -> intake.accept(delivery.key(), delivery.event()))
                .start();
    }

    public static String groupOf(HostedNodes nodes) {
        return "node-agent-" + nodes.primary();
    }

    public static Set<Integer> partitionsOf(HostedNodes nodes) {
        Set<Integer> partitions = new TreeSet<>();
        for (String node : nodes.all()) {
            partitions.add(NodeRouting.partitionFor(node, Topics.NODE_ROUTED_PARTITIONS));
        }
        return partitions;
    }

    /** Makes the consumer again between two batches, where it was (a renewed client certificate). */
    public java.util.concurrent.CompletableFuture<Void> reconnect() {
        return loop.reconnect();
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return loop.awaitAssignment(timeout);
    }

    @Override
    public void close() {
        loop.close();
    }
}
