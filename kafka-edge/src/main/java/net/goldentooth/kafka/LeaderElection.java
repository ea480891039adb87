package net.goldentooth.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.leadership.LeaderChange;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One leader among the instances of a service, elected by Kafka itself: every instance joins the
 * consumer group {@code group} on the single-partition topic {@link Topics#LEADERSHIP}, and the
 * member the coordinator assigns that partition to leads. A member that dies stops heart-beating;
 * after the session timeout the coordinator evicts it and assigns the partition to a survivor. No
 * record is ever written: the group's membership and its offset commits are the whole mechanism.
 *
 * <p>The assignor is cooperative-sticky, so an instance joining (a restart, a scale-up) does not
 * move leadership away from a live leader. Holding the partition is confirmed by an offset commit
 * every {@code confirmEvery}; {@link LeaderLease} turns those confirmations into a lease shorter
 * than the session timeout, which is what {@link #leads()} answers: a leader frozen past its lease
 * (GC pause, SIGSTOP) no longer claims to lead when it wakes, before it has even heard of the
 * rebalance. Callers check {@link #leads()} immediately before each action that must be done once.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.LEADERSHIP, 0);

    private final String group;
    private final String member;
    private final Duration confirmEvery;
    private final LeaderLease lease;
    private final Consumer<Boolean> onChange;
    private final EventPublisher announcer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean reportedLeading;
    private long lastAsk;
    /** A fresh assignment: confirm it at once rather than at the next tick. */
    private boolean confirmNow;

    private LeaderElection(String bootstrapServers, String group, String member, Duration session,
                           Duration confirmEvery, Duration lease, EventPublisher announcer, Consumer<Boolean> onChange) {
        if (lease.compareTo(session) >= 0) {
            throw new IllegalArgumentException("the leader lease (" + lease + ") must be shorter than the session timeout ("
                    + session + "), or an evicted leader could still act beside its successor");
        }
        if (confirmEvery.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("leadership must be confirmed (every " + confirmEvery
                    + ") more often than the lease lasts (" + lease + ")");
        }
        this.group = group;
        this.member = member;
        this.confirmEvery = confirmEvery;
        this.lease = new LeaderLease(lease);
        this.onChange = onChange;
        this.announcer = announcer;
        Map<String, Object> props = new LinkedHashMap<>();
        KafkaSettings.consumer(bootstrapServers, group, "leader-" + group + "-" + member)
                .forEach((k, v) -> props.put((String) k, v));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(session.toMillis()));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(100, session.toMillis() / 6)));
        // A member whose election thread is stuck (not polling) is removed after this; it must not be
        // shorter than the session (the lease argument needs eviction no sooner than a session timeout).
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(session.toMillis() * 2));
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(this::run, "leader-" + group);
        this.thread.setDaemon(true);
    }

    /**
     * Joins the election of {@code group} as {@code member} (a name for the logs: host and port).
     * Session 6 s (the broker's minimum), lease 4 s, confirmed every 500 ms: a dead leader is
     * replaced within about 7 s. When it starts to lead, the instance appends a {@link LeaderChange}
     * to {@link Topics#LEADERSHIP} through {@code announcer}.
     */
    public static LeaderElection start(String bootstrapServers, String group, String member, EventPublisher announcer,
                                       Consumer<Boolean> onChange) {
        return start(bootstrapServers, group, member, Duration.ofSeconds(6), Duration.ofMillis(500),
                Duration.ofSeconds(4), announcer, onChange);
    }

    /** As {@link #start(String, String, String, EventPublisher, Consumer)} with explicit timings (checked against each other). */
    public static LeaderElection start(String bootstrapServers, String group, String member, Duration session,
                                       Duration confirmEvery, Duration lease, EventPublisher announcer,
                                       Consumer<Boolean> onChange) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(member, "member");
        LeaderElection election = new LeaderElection(Objects.requireNonNull(bootstrapServers, "bootstrapServers"),
                group, member, session, confirmEvery, lease, Objects.requireNonNull(announcer, "announcer"),
                onChange == null ? leading -> { } : onChange);
        election.thread.start();
        return election;
    }

    /** Whether this instance may act as the leader now: it holds the partition under a running lease. */
    public boolean leads() {
        synchronized (lease) {
            return lease.leads(System.nanoTime());
        }
    }

    /** The group generation of this instance's current assignment: grows with every handover. */
    public int generation() {
        synchronized (lease) {
            return lease.generation();
        }
    }

    public LeaderLease.Standing standing() {
        synchronized (lease) {
            return lease.standing(System.nanoTime());
        }
    }

    public String group() {
        return group;
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.LEADERSHIP), new Listener());
            while (running) {
                consumer.poll(Duration.ofMillis(200));
                confirmIfDue();
                report();
            }
        } catch (WakeupException | InterruptException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.errorf(e, "leader election of %s stopped; this instance will not lead", group);
        } finally {
            running = false;
            synchronized (lease) {
                lease.released();
            }
            report();
            // Leaving the group at once lets a standby take over without waiting out the session.
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void confirmIfDue() {
        boolean holds;
        int generation;
        synchronized (lease) {
            holds = lease.standing(System.nanoTime()) != LeaderLease.Standing.STANDBY;
            generation = lease.generation();
        }
        long asked = System.nanoTime();
        if (!holds || (!confirmNow && asked - lastAsk < confirmEvery.toNanos())) {
            return;
        }
        lastAsk = asked;
        confirmNow = false;
        try {
            long position = consumer.position(PARTITION, confirmEvery);
            consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(position, member)), confirmEvery);
            synchronized (lease) {
                lease.confirmed(generation, asked);
            }
        } catch (CommitFailedException | FencedInstanceIdException e) {
            // The coordinator no longer counts this member in the generation: another may lead already.
            synchronized (lease) {
                lease.refused();
            }
            LOG.warnf("leadership of %s refused by the coordinator: %s", group, e.getMessage());
        } catch (RebalanceInProgressException e) {
            // Not confirmed this time; the lease runs out by itself unless the rebalance leaves us the partition.
            LOG.debugf("leadership of %s not confirmed during a rebalance", group);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debugf("leadership of %s not confirmed: %s", group, e.getMessage());
        }
    }

    private void report() {
        boolean now = leads();
        if (now != reportedLeading) {
            reportedLeading = now;
            int generation = generation();
            LOG.infof("%s %s the leader of %s (generation %d)", member, now ? "is now" : "is no longer", group,
                    generation);
            if (now) {
                announcer.publish(Topics.LEADERSHIP, group, new LeaderChange(group, member, generation, Instant.now()))
                        .whenComplete((ok, e) -> {
                            if (e != null) {
                                LOG.warnf("could not record the leadership of %s on %s: %s", group, Topics.LEADERSHIP, e);
                            }
                        });
            }
            try {
                onChange.accept(now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "leadership listener of %s failed", group);
            }
        }
    }

    /**
     * The handovers of {@code group} recorded on {@code service.leadership} since {@code from}, oldest
     * first: the topic is the log of who led when (read once, to its current end).
     */
    public static List<LeaderChange> handovers(String bootstrapServers, String group, Instant from, String clientId) {
        List<LeaderChange> changes = new java.util.ArrayList<>();
        ConsumerLoop.replay(bootstrapServers, Topics.LEADERSHIP, LeaderChange.class, clientId, from, d -> {
            if (d.event().group().equals(group)) {
                changes.add(d.event());
            }
        });
        return changes;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            if (consumer.assignment().contains(PARTITION)) {
                int generation = consumer.groupMetadata().generationId();
                synchronized (lease) {
                    lease.assigned(generation);
                }
                confirmNow = true;
                confirmIfDue();
                report();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.contains(PARTITION)) {
                synchronized (lease) {
                    lease.released();
                }
                report();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            onPartitionsRevoked(lost);
        }
    }
}
