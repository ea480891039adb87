package net.goldentooth.agent.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.facts.NodeFacts.DeliveryGap;

/**
 * What the agent has sent and the broker has not yet acknowledged, and the rules for it while the
 * broker cannot be reached. Pure bookkeeping, given the times; the Kafka producer holds the records.
 *
 * <ul>
 *   <li>Progress is history: every record is kept, in order, up to {@code maxProgressRecords} and
 *       {@code maxProgressBytes} unacknowledged. A record past the bound is refused and counted as
 *       dropped, never silently.</li>
 *   <li>Facts are state: per node at most one record is in flight and one waits; a newer one
 *       replaces the waiting one (counted as coalesced), so a long cut costs two records per node,
 *       and the newest facts go out first thing after it.</li>
 *   <li>A gap opens when a record is acknowledged at least {@code gapThreshold} after it was sent
 *       (from its send time), and closes when nothing is left in flight; then it is the
 *       {@link #lastGap()} the next facts report.</li>
 * </ul>
 *
 * @param <F> a facts record as the caller sends it
 */
public final class Backlog<F> {

    private final int maxProgressRecords;
    private final long maxProgressBytes;
    private final Duration gapThreshold;

    private int progressInFlight;
    private long progressBytesInFlight;
    private long progressDropped;
    private long factsCoalesced;
    private int inFlight;
    private final Set<String> factsInFlight = new HashSet<>();
    private final Map<String, F> factsWaiting = new HashMap<>();

    private Instant gapFrom;
    private Instant gapTo;
    private long gapDelayed;
    private long gaps;
    private DeliveryGap lastGap;

    /** @throws IllegalArgumentException naming the key when a bound is not positive */
    public Backlog(int maxProgressRecords, long maxProgressBytes, Duration gapThreshold) {
        if (maxProgressRecords < 1) {
            throw new IllegalArgumentException("goldentooth.agent.outbox.max-progress-records must be at least 1, was "
                    + maxProgressRecords);
        }
        if (maxProgressBytes < 1) {
            throw new IllegalArgumentException("goldentooth.agent.outbox.max-progress-bytes must be at least 1, was "
                    + maxProgressBytes);
        }
        if (gapThreshold.isZero() || gapThreshold.isNegative()) {
            throw new IllegalArgumentException("goldentooth.agent.outbox.gap-threshold must be positive, was "
                    + gapThreshold);
        }
        this.maxProgressRecords = maxProgressRecords;
        this.maxProgressBytes = maxProgressBytes;
        this.gapThreshold = gapThreshold;
    }

    /** Whether a progress record of {@code bytes} may be sent; false (and counted) when the bound is reached. */
    public synchronized boolean admitProgress(int bytes) {
        if (progressInFlight >= maxProgressRecords || progressBytesInFlight + bytes > maxProgressBytes) {
            progressDropped++;
            return false;
        }
        progressInFlight++;
        progressBytesInFlight += bytes;
        inFlight++;
        return true;
    }

    /** An admitted progress record was acknowledged ({@code delivered}) or failed for good. */
    public synchronized void progressDone(int bytes, boolean delivered, Instant sentAt, Instant now) {
        progressInFlight--;
        progressBytesInFlight -= bytes;
        if (!delivered) {
            progressDropped++;
        }
        done(delivered, sentAt, now);
    }

    /** Returns true when {@code facts} must be sent now; otherwise it waits for the node's record in flight. */
    public synchronized boolean offerFacts(String node, F facts) {
        if (factsInFlight.add(node)) {
            inFlight++;
            return true;
        }
        if (factsWaiting.put(node, facts) != null) {
            factsCoalesced++;
        }
        return false;
    }

    /**
     * The node's facts in flight were acknowledged or failed; returns the waiting facts, which the
     * caller must send now (they are in flight from here), or null.
     */
    public synchronized F factsDone(String node, boolean delivered, Instant sentAt, Instant now) {
        F next = factsWaiting.remove(node);
        if (next == null) {
            factsInFlight.remove(node);
        } else {
            inFlight++;
        }
        done(delivered, sentAt, now);
        return next;
    }

    private void done(boolean delivered, Instant sentAt, Instant now) {
        inFlight--;
        if (delivered && Duration.between(sentAt, now).compareTo(gapThreshold) >= 0) {
            gapFrom = gapFrom == null || sentAt.isBefore(gapFrom) ? sentAt : gapFrom;
            gapTo = now;
            gapDelayed++;
        }
        if (gapFrom != null && inFlight == 0) {
            lastGap = new DeliveryGap(gapFrom, gapTo, gapDelayed, progressDropped, factsCoalesced);
            gaps++;
            gapFrom = null;
            gapTo = null;
            gapDelayed = 0;
        }
    }

    /** The most recent closed gap, or null when the broker acknowledged everything in time so far. */
    public synchronized DeliveryGap lastGap() {
        return lastGap;
    }

    public synchronized long gaps() {
        return gaps;
    }

    public synchronized int progressInFlight() {
        return progressInFlight;
    }

    public synchronized long progressDropped() {
        return progressDropped;
    }

    public synchronized long factsCoalesced() {
        return factsCoalesced;
    }
}
