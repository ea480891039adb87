package net.goldentooth.agent.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.goldentooth.agent.delivery.Backlog;
import net.goldentooth.events.Topics;
import net.goldentooth.kafka.EventPublisher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

/**
 * The agent's way out for {@code job.progress} and {@code node.facts}, through a network cut.
 *
 * <p>The agent's producer never gives up on a record ({@link #PRODUCER_OVERRIDES}): idempotent with
 * {@code acks=all}, it keeps retrying in order and the broker drops the duplicates of its retries,
 * so what was sent during a cut arrives once, in order, when the broker is back, without a restart.
 * The {@link Backlog} bounds what may wait unacknowledged (progress refused past the bound is
 * counted; facts coalesce per node) and measures the gap the next facts report.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    /**
     * Producer settings of the agent: retry for as long as it takes instead of failing records after
     * two minutes; keep the topics' metadata while idle, so a send during a cut does not block on a
     * metadata fetch (and fail after {@code max.block.ms}). A short task's records leave in one
     * request: ACCEPTED, STARTED and the output wait up to the 50 ms linger, and the task's last
     * record ends the wait at once ({@link #progress}). Each produce request costs the agent and the
     * broker CPU: a request per record was about a fifth of a short task's CPU in bench/fanout. A
     * long command's output still streams, at most 50 ms late. Records of a few hundred bytes are
     * not compressed: on a Pi the codec's buffers cost more CPU than the bytes they save on a LAN.
     */
    public static final Map<String, Object> PRODUCER_OVERRIDES = Map.of(
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE),
            ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Duration.ofDays(1).toMillis()),
            ProducerConfig.LINGER_MS_CONFIG, "50",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");

    private final EventPublisher publisher;
    private final Backlog<Pending> backlog;
    private final Clock clock;
    /** Sends the waiting facts of a node once its previous record is acknowledged, off the producer's I/O thread. */
    private final ExecutorService resend = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-facts");
        t.setDaemon(true);
        return t;
    });
    /**
     * Ends the linger for a task's last record. Its own thread, because a flush waits for every record
     * in flight, for as long as a cut lasts; the task threads must not. One flush covers all waiting.
     */
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-flush");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean flushQueued = new AtomicBoolean();

    private record Pending(String node, byte[] value, Map<String, byte[]> headers) {
    }

    public Outbox(EventPublisher publisher, BacklogBounds backlog, Clock clock) {
        this.publisher = publisher;
        this.backlog = new Backlog<>(backlog.maxProgressRecords(), backlog.maxProgressBytes(), backlog.gapThreshold());
        this.clock = clock;
    }

    /** How much progress may wait for the broker, and how late an acknowledgement counts as a gap. */
    public record BacklogBounds(int maxProgressRecords, long maxProgressBytes, Duration gapThreshold) {
    }

    /**
     * Sends a progress record unless the backlog is full; returns false when it was dropped (and counted).
     * A {@code last} record (a task's FINISHED or REJECTED) goes out at once with whatever lingers.
     */
    public boolean progress(String key, byte[] value, Map<String, byte[]> headers, boolean last,
                            Supplier<String> what) {
        if (!backlog.admitProgress(value.length)) {
            LOG.errorf("dropped %s: %d progress records are waiting for the broker, the outbox bound",
                    what.get(), backlog.progressInFlight());
            return false;
        }
        Instant sentAt = clock.instant();
        send(Topics.JOB_PROGRESS, key, value, headers).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "could not publish %s", what.get());
            }
            backlog.progressDone(value.length, error == null, sentAt, clock.instant());
        });
        if (last && flushQueued.compareAndSet(false, true)) {
            flusher.execute(() -> {
                flushQueued.set(false);
                try {
                    publisher.flush();
                } catch (RuntimeException e) {
                    // Interrupted by close(): what is still waiting is the producer's to deliver or drop.
                    LOG.debugf("progress flush ended early: %s", e.getMessage());
                }
            });
        }
        return true;
    }

    /** Sends a node's facts, or keeps them as the node's newest until its facts in flight are acknowledged. */
    public void facts(String node, byte[] value, Map<String, byte[]> headers) {
        Pending facts = new Pending(node, value, headers);
        if (backlog.offerFacts(node, facts)) {
            sendFacts(facts);
        }
    }

    private void sendFacts(Pending facts) {
        Instant sentAt = clock.instant();
        send(Topics.NODE_FACTS, facts.node(), facts.value(), facts.headers()).whenCompleteAsync((ok, error) -> {
            if (error != null) {
                LOG.warnf("could not publish facts of %s: %s", facts.node(), error.getMessage());
            }
            Pending next = backlog.factsDone(facts.node(), error == null, sentAt, clock.instant());
            if (next != null) {
                sendFacts(next);
            }
        }, resend);
    }

    /** A send the producer refuses at once (its buffer full for {@code max.block.ms}) fails like a late one. */
    private CompletableFuture<?> send(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        try {
            return publisher.publishRaw(topic, key, value, headers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public Backlog<?> backlog() {
        return backlog;
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        resend.shutdown();
        try {
            resend.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
