package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;

/**
 * Bus time for the monitor, from the acknowledgements of its own beats on {@code node.heartbeat}
 * (each carries the broker's append time): between two acknowledgements it advances by the
 * monitor's monotonic clock, so neither the monitor's wall clock nor any node's moves it. No
 * acknowledgement for {@code timeout} means the bus is down for the monitor: then node verdicts
 * hold (one "bus down" alert instead of a NodeDown per node), and when acknowledgements come back
 * silence is counted again from that moment. Pure (nanos are given); thread-safe.
 */
public final class BusTime {

    private final long timeoutNanos;
    private Instant anchor;
    private long anchorNanos;
    private long lastAckNanos;
    private boolean downSeen;
    private Instant upSince;
    private Instant lastNow;

    /** @param timeout no acknowledgement for this long: the bus is down (shorter than a node's silence window) */
    public BusTime(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("bus timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * One of the monitor's beats was acknowledged at {@code ackNanos} with append time
     * {@code appended}. Anchored at the acknowledgement, not the midpoint of the round trip: bus
     * time then errs late by at most the round trip, which can only make silence look shorter.
     */
    public synchronized void acked(long ackNanos, Instant appended) {
        boolean wasDown = downSeen || (anchor != null && ackNanos - lastAckNanos > timeoutNanos);
        if (anchor == null || ackNanos - anchorNanos >= 0) {
            anchor = appended;
            anchorNanos = ackNanos;
        }
        lastAckNanos = ackNanos;
        if (wasDown) {
            upSince = appended;
            downSeen = false;
        }
    }

    /** The bus at monotonic time {@code nanos}. */
    public synchronized BusView view(long nanos) {
        if (anchor == null) {
            return new BusView(null, false, null);
        }
        Instant now = anchor.plusNanos(nanos - anchorNanos);
        // A new anchor may sit up to a round trip earlier than the old one's extrapolation: hold.
        if (lastNow != null && now.isBefore(lastNow)) {
            now = lastNow;
        }
        lastNow = now;
        boolean up = nanos - lastAckNanos <= timeoutNanos;
        if (!up) {
            downSeen = true;
        }
        return new BusView(now, up, upSince);
    }
}
