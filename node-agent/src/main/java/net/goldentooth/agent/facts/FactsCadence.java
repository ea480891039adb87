package net.goldentooth.agent.facts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When facts are published: at start-up, every {@code interval}, and at once when the slow
 * sections change. Facts are gathered every {@code checkInterval} to notice such a change; the
 * simulated nodes of a scale test are spread over those checks so that each is published once per
 * interval and no check sends all of them at once. Given the time, never reading a clock.
 */
public final class FactsCadence {

    private final Duration interval;
    private final int checksPerInterval;
    private Instant lastPublished;
    private CollectedFacts.SlowFacts lastSlow;

    public FactsCadence(Duration interval, Duration checkInterval) {
        if (interval.isZero() || interval.isNegative() || checkInterval.isZero() || checkInterval.isNegative()) {
            throw new IllegalArgumentException("goldentooth.agent.facts-interval and facts-check-interval must be "
                    + "positive");
        }
        this.interval = interval;
        this.checksPerInterval = (int) Math.max(1, interval.toMillis() / Math.max(1, checkInterval.toMillis()));
    }

    /** How many facts checks fit in one facts interval (at least one). */
    public int checksPerInterval() {
        return checksPerInterval;
    }

    /** Whether the real node's facts are due now; when true, they count as published. */
    public boolean due(Instant now, CollectedFacts.SlowFacts slow) {
        boolean due = lastPublished == null || !slow.equals(lastSlow)
                || !now.isBefore(lastPublished.plus(interval));
        if (due) {
            lastPublished = now;
            lastSlow = slow;
        }
        return due;
    }

    /**
     * Positions of the simulated nodes due at check number {@code check} (0, 1, 2, ...): every
     * k-th of them, shifted by one each check, where k is the number of checks per interval.
     */
    public List<Integer> simulatedDue(int simulatedCount, long check) {
        int offset = (int) (check % checksPerInterval);
        List<Integer> due = new ArrayList<>();
        for (int i = offset; i < simulatedCount; i += checksPerInterval) {
            due.add(i);
        }
        return due;
    }
}
