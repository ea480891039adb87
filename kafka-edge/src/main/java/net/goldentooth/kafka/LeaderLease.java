package net.goldentooth.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether this process may act as the leader at a given instant: the pure decision behind
 * {@link LeaderElection}, given monotonic times ({@code System.nanoTime()}) rather than reading a clock.
 *
 * <p>Holding the leadership partition is not enough: a process frozen by a GC pause still believes it
 * holds it while the group coordinator has already given it to another member. So leadership is a
 * <em>lease</em>. It starts only when the coordinator confirms this member in the current generation
 * (an offset commit it accepted), and it lasts {@code lease} from the moment that confirmation was
 * <em>asked</em> for. The coordinator cannot hand the partition to anyone else before it has evicted
 * this member, which it does no earlier than a session timeout after the last request it accepted
 * from it (a commit counts as a heartbeat), and during a rebalance it refuses commits. So with
 * {@code lease} shorter than the session timeout, the old lease ends before a new leader can start.
 *
 * <p>Not thread-safe on its own; {@link LeaderElection} serialises calls.
 */
public final class LeaderLease {

    /** Why this process is not (or is) the leader: for logs and the status a service shows. */
    public enum Standing { STANDBY, CLAIMED, LEADING, EXPIRED }

    private final long leaseNanos;
    private boolean holdsPartition;
    private int generation = -1;
    private long confirmedAskedAt;
    private boolean confirmed;

    /**
     * @param lease how long one confirmation lets this process act; must be positive and shorter
     *              than the group's session timeout (the caller checks that against its settings)
     */
    public LeaderLease(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a leader lease must be positive, got " + lease);
        }
        this.leaseNanos = lease.toNanos();
    }

    /**
     * The coordinator assigned the leadership partition to this member in {@code generation}. A member
     * that already held it (a cooperative rebalance that left it in place) keeps its running lease
     * under the new generation; one that did not waits for its first confirmation.
     */
    public void assigned(int generation) {
        if (!holdsPartition) {
            confirmed = false;
        }
        holdsPartition = true;
        this.generation = generation;
    }

    /** The partition was revoked or lost (rebalance, eviction, close): leadership ends now. */
    public void released() {
        holdsPartition = false;
        confirmed = false;
    }

    /**
     * The coordinator accepted a commit of this member in {@code generation}, asked for at
     * {@code askedAtNanos}. A confirmation of an older generation, or one asked before a newer one
     * already counted, changes nothing.
     */
    public void confirmed(int generation, long askedAtNanos) {
        if (!holdsPartition || generation != this.generation) {
            return;
        }
        if (!confirmed || askedAtNanos - confirmedAskedAt > 0) {
            confirmedAskedAt = askedAtNanos;
            confirmed = true;
        }
    }

    /** The coordinator refused a commit (fenced, rebalancing): act no more until assigned again. */
    public void refused() {
        released();
    }

    public Standing standing(long nowNanos) {
        if (!holdsPartition) {
            return Standing.STANDBY;
        }
        if (!confirmed) {
            return Standing.CLAIMED;
        }
        return nowNanos - confirmedAskedAt < leaseNanos ? Standing.LEADING : Standing.EXPIRED;
    }

    /** True only while a confirmed lease is running at {@code nowNanos}. */
    public boolean leads(long nowNanos) {
        return standing(nowNanos) == Standing.LEADING;
    }

    /** The generation of the assignment the lease belongs to: an epoch that grows with every handover. */
    public int generation() {
        return generation;
    }
}
