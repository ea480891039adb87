package net.goldentooth.pki.claims;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import net.goldentooth.events.cert.PkiClaim;

/**
 * The verdicts of {@code pki.claims}, folded in log order: for each key, the first claim read wins.
 * Every instance folds the same single-partition log in the same order, so every instance reaches
 * the same verdict for every key without talking to the others. Pure: the Kafka edge feeds
 * {@link #record} from its consumer thread and a claimant waits in {@link #awaitPosition} until the
 * fold has passed its own claim.
 *
 * <p>Claims older than the horizon are forgotten (the topic deletes them too): by then the token
 * they spent has long expired and the request they answered is no longer redelivered.
 */
public final class ClaimBook {

    private record Entry(String key, Instant at) {
    }

    private final Duration horizon;
    private final Map<String, PkiClaim> first = new HashMap<>();
    /** Keys in the order their first claim was read, to forget the old ones. */
    private final Deque<Entry> order = new ArrayDeque<>();
    /** The offset of the next record to fold: every claim before it has been folded. */
    private long position;

    public ClaimBook(Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("the claim horizon must be positive, was " + horizon);
        }
        this.horizon = horizon;
    }

    /**
     * Folds the claim at {@code offset}, appended at {@code appendedAt}. Offsets arrive in
     * increasing order; an offset already folded (a re-read) changes nothing.
     */
    public synchronized void record(PkiClaim claim, long offset, Instant appendedAt) {
        if (offset < position) {
            return;
        }
        position = offset + 1;
        if (claim != null && claim.key() != null && !first.containsKey(claim.key())) {
            first.put(claim.key(), claim);
            order.addLast(new Entry(claim.key(), appendedAt));
        }
        Instant oldest = appendedAt.minus(horizon);
        while (!order.isEmpty() && order.peekFirst().at().isBefore(oldest)) {
            first.remove(order.removeFirst().key());
        }
        notifyAll();
    }

    /** Whether {@code mine} is the first claim of its key: made by this instance for this request. */
    public synchronized boolean won(PkiClaim mine) {
        PkiClaim winner = first.get(mine.key());
        return winner != null && winner.instance().equals(mine.instance())
                && winner.requestId().equals(mine.requestId());
    }

    /** The winning claim of {@code key}, once one is folded. */
    public synchronized Optional<PkiClaim> winner(String key) {
        return Optional.ofNullable(first.get(key));
    }

    public synchronized long position() {
        return position;
    }

    public synchronized int size() {
        return first.size();
    }

    /**
     * Waits until every record before {@code offset} is folded.
     *
     * @throws TimeoutException naming both positions when the fold did not get there in time
     */
    public synchronized void awaitPosition(long offset, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position < offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("pki.claims read up to offset " + position + ", not yet past " + (offset - 1)
                        + " after " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
