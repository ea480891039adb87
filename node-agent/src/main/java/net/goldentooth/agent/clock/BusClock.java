package net.goldentooth.agent.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Bus time as this node sees it: the local clock corrected by the offset its heartbeats measured
 * ({@link OffsetEstimator}). Task validity windows are checked on it, so a node whose clock is
 * days off still runs fresh tasks and still refuses expired ones. Before the first measurement it
 * is the local clock. When the local clock is stepped (NTP comes back), bus time is off by the
 * step until the next heartbeat measures again (the estimator drops samples from before a step).
 * Thread-safe.
 */
public final class BusClock extends Clock {

    private final Clock local;
    private volatile OffsetEstimator.Offset offset;

    public BusClock(Clock local) {
        this.local = local;
    }

    /** Takes a new estimate of the local clock's offset from bus time. */
    public void offset(OffsetEstimator.Offset measured) {
        this.offset = measured;
    }

    /** The offset in force, if one was measured. */
    public Optional<OffsetEstimator.Offset> offset() {
        return Optional.ofNullable(offset);
    }

    @Override
    public Instant instant() {
        OffsetEstimator.Offset in = offset;
        return in == null ? local.instant() : local.instant().minus(in.offset());
    }

    /**
     * The earlier of the local clock and bus time: what the task ledger forgets entries by. A task
     * is admitted only before its expiry in bus time, and its id is kept until both clocks are past
     * the expiry (plus the ledger's retention): a local clock that runs ahead (or is set ahead)
     * does not make the ledger forget, and neither does a momentarily wrong offset after a step.
     * Only bus time itself going back by more than the retention could (see docs/security.md).
     */
    public Clock earlierOfLocalAndBus() {
        BusClock bus = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the ledger's clock is UTC only");
            }

            @Override
            public Instant instant() {
                Instant l = local.instant();
                Instant b = bus.instant();
                return l.isBefore(b) ? l : b;
            }
        };
    }

    /** How far the local clock is from bus time, for messages: "8 days behind", "1.2 s ahead". */
    public static String describe(Duration offset) {
        Duration abs = offset.abs();
        String amount = abs.toDays() >= 1 ? String.format(java.util.Locale.ROOT, "%.1f days", abs.toSeconds() / 86400.0)
                : abs.toHours() >= 1 ? String.format(java.util.Locale.ROOT, "%.1f h", abs.toSeconds() / 3600.0)
                : String.format(java.util.Locale.ROOT, "%.3f s", abs.toMillis() / 1000.0);
        return amount + (offset.isNegative() ? " behind" : " ahead");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("bus time is UTC only");
    }
}
