package net.goldentooth.agent.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.goldentooth.agent.clock.BusClock;
import net.goldentooth.agent.clock.OffsetEstimator;
import net.goldentooth.events.Topics;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.kafka.EventPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Sends this node's {@code node.heartbeat} every interval on its own thread, and measures the
 * node's clock offset from each acknowledgement (the broker's append time) into the
 * {@link BusClock}. At most one beat is in flight: while the broker is away the beats are not
 * queued up to arrive in a burst later, and a beat acknowledged after a long wait is no sample.
 * Only the real node beats; simulated nodes are judged on their facts.
 */
public final class HeartbeatPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);
    /**
     * The record timestamp a beat is sent with. {@code node.heartbeat} has LogAppendTime, so the
     * broker replaces it; getting it back means the topic keeps producers' times (created by hand
     * without the catalogue's settings), and then no offset can be measured.
     */
    static final Instant UNSTAMPED = Instant.EPOCH;

    private final EventPublisher publisher;
    private final String node;
    private final Duration interval;
    private final Clock local;
    private final BusClock bus;
    private final OffsetEstimator estimator;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean warnedUnstamped;
    private long seq;

    public HeartbeatPublisher(EventPublisher publisher, String node, Duration interval, Clock local, BusClock bus,
                              OffsetEstimator estimator) {
        this.publisher = publisher;
        this.node = node;
        this.interval = interval;
        this.local = local;
        this.bus = bus;
        this.estimator = estimator;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sends the first beat and waits up to {@code timeout} for its acknowledgement, so the agent
     * knows bus time before it admits tasks; then beats every interval. Returns whether the first
     * beat measured an offset (false: the broker did not answer in time; the beats go on).
     */
    public boolean start(Duration timeout) {
        boolean measured = false;
        try {
            measured = beat().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warnf("no heartbeat acknowledgement within %s; tasks are checked on the local clock until one comes",
                    timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warnf("the first heartbeat failed: %s", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long every = interval.toMillis();
        scheduler.scheduleAtFixedRate(this::beatSafely, every, every, TimeUnit.MILLISECONDS);
        return measured;
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            // A failed beat must not cancel the schedule; the next one tries again.
            LOG.warnf("heartbeat failed: %s", e.toString());
        }
    }

    /** One beat, unless one is still in flight; completes with whether it measured an offset. */
    CompletableFuture<Boolean> beat() {
        if (!inFlight.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        Instant sent = local.instant();
        OffsetEstimator.Offset known = bus.offset().orElse(null);
        NodeHeartbeat beat = new NodeHeartbeat(node, NodeHeartbeat.AGENT, seq++, sent, interval.toMillis(),
                known == null ? null : known.offset().toMillis(), known == null ? null : known.error().toMillis());
        CompletableFuture<RecordMetadata> ack;
        try {
            ack = publisher.publishStamped(Topics.NODE_HEARTBEAT, node, beat, UNSTAMPED);
        } catch (RuntimeException e) {
            inFlight.set(false);
            throw e;
        }
        return ack.handle((metadata, failure) -> {
            inFlight.set(false);
            if (failure != null) {
                LOG.debugf("heartbeat %d not acknowledged: %s", beat.seq(), failure.toString());
                return false;
            }
            return measured(sent, local.instant(), metadata);
        });
    }

    private boolean measured(Instant sent, Instant acked, RecordMetadata metadata) {
        if (!metadata.hasTimestamp() || metadata.timestamp() == UNSTAMPED.toEpochMilli()) {
            if (!warnedUnstamped) {
                warnedUnstamped = true;
                LOG.errorf("%s keeps the producer's timestamps (it needs %s=%s): this node's clock offset cannot "
                        + "be measured and tasks are checked on the local clock", Topics.NODE_HEARTBEAT,
                        Topics.TIMESTAMP_TYPE, Topics.LOG_APPEND_TIME);
            }
            return false;
        }
        synchronized (estimator) {
            if (!estimator.sample(sent, acked, Instant.ofEpochMilli(metadata.timestamp()))) {
                return false;
            }
            OffsetEstimator.Offset before = bus.offset().orElse(null);
            OffsetEstimator.Offset now = estimator.current().orElseThrow();
            bus.offset(now);
            if (before == null || now.offset().minus(before.offset()).abs().compareTo(Duration.ofSeconds(1)) > 0) {
                LOG.infof("clock offset from bus time: %s (within %d ms)", BusClock.describe(now.offset()),
                        now.error().toMillis());
            }
        }
        return true;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
