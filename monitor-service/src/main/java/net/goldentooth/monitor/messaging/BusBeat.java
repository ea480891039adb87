package net.goldentooth.monitor.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import net.goldentooth.events.Topics;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.monitor.liveness.BusTime;
import org.jboss.logging.Logger;

/**
 * The monitor's own heartbeat on {@code node.heartbeat} (role monitor): each acknowledgement
 * carries the broker's append time, which anchors the monitor's {@link BusTime}; no
 * acknowledgement for a while is the bus being down. At most one beat in flight. Thin: the
 * decisions are BusTime's.
 */
public final class BusBeat {

    private static final Logger LOG = Logger.getLogger(BusBeat.class);
    /** Sent as the record timestamp; the broker's LogAppendTime replaces it (see the agent's HeartbeatPublisher). */
    private static final Instant UNSTAMPED = Instant.EPOCH;

    private final EventPublisher publisher;
    private final String name;
    private final Duration interval;
    private final BusTime busTime;
    private final Clock clock;
    private final LongSupplier nanos;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean warnedUnstamped;
    private long seq;

    public BusBeat(EventPublisher publisher, String name, Duration interval, BusTime busTime, Clock clock,
                   LongSupplier nanos) {
        this.publisher = publisher;
        this.name = name;
        this.interval = interval;
        this.busTime = busTime;
        this.clock = clock;
        this.nanos = nanos;
    }

    /** Sends one beat unless one is in flight; completes true when it was acknowledged. */
    public CompletableFuture<Boolean> beat() {
        if (!inFlight.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(false);
        }
        NodeHeartbeat beat = new NodeHeartbeat(name, NodeHeartbeat.MONITOR, seq++, clock.instant(),
                interval.toMillis(), null, null);
        CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata> ack;
        try {
            ack = publisher.publishStamped(Topics.NODE_HEARTBEAT, name, beat, UNSTAMPED);
        } catch (RuntimeException e) {
            inFlight.set(false);
            throw e;
        }
        return ack.handle((metadata, failure) -> {
            inFlight.set(false);
            if (failure != null) {
                LOG.debugf("the monitor's beat %d was not acknowledged: %s", beat.seq(), failure.toString());
                return false;
            }
            Instant appended;
            if (!metadata.hasTimestamp() || metadata.timestamp() == UNSTAMPED.toEpochMilli()) {
                if (!warnedUnstamped) {
                    warnedUnstamped = true;
                    LOG.errorf("%s keeps the producer's timestamps (it needs %s=%s): bus time falls back to this "
                            + "monitor's clock", Topics.NODE_HEARTBEAT, Topics.TIMESTAMP_TYPE, Topics.LOG_APPEND_TIME);
                }
                appended = clock.instant();
            } else {
                appended = Instant.ofEpochMilli(metadata.timestamp());
            }
            busTime.acked(nanos.getAsLong(), appended);
            return true;
        });
    }

    /** Waits up to {@code timeout} for one acknowledged beat (start-up: bus time before the first evaluation). */
    public boolean first(Duration timeout) {
        try {
            return beat().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warnf("no acknowledgement from the bus within %s at start-up: it is reported down until one comes", timeout);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
