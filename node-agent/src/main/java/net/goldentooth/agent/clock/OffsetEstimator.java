package net.goldentooth.agent.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Optional;

/**
 * This node's clock offset from bus time, measured NTP-style on heartbeat round trips: a beat sent
 * at local {@code t1} and acknowledged at local {@code t2} was appended by the broker at bus time
 * {@code a}, somewhere inside the round trip; so {@code offset = (t1 + t2) / 2 - a}, wrong by at
 * most half the round trip (plus a millisecond: append times are whole milliseconds). Like NTP's
 * clock filter, the estimate comes from the sample with the shortest round trip among the last
 * few, so a beat delayed by a busy broker or a stalled process does not move it. Pure; not
 * thread-safe, the caller serialises access.
 */
public final class OffsetEstimator {

    /** A measured offset: the node's clock minus bus time (positive: ahead), right within {@code error}. */
    public record Offset(Duration offset, Duration error) {
    }

    private record Sample(Duration offset, Duration roundTrip) {
    }

    private final int window;
    private final Duration maxRoundTrip;
    private final Duration stepTolerance;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * @param window       how many recent samples the shortest round trip is chosen from
     * @param maxRoundTrip a longer round trip (a beat stuck behind a broker outage) is not a sample
     * @param stepTolerance a disagreement beyond the errors larger than this is a step of the local clock
     */
    public OffsetEstimator(int window, Duration maxRoundTrip, Duration stepTolerance) {
        if (window < 1) {
            throw new IllegalArgumentException("offset window must be at least 1 sample, got " + window);
        }
        if (maxRoundTrip.isNegative() || maxRoundTrip.isZero()) {
            throw new IllegalArgumentException("max round trip must be positive, got " + maxRoundTrip);
        }
        this.window = window;
        this.maxRoundTrip = maxRoundTrip;
        this.stepTolerance = stepTolerance;
    }

    /**
     * Folds one round trip in; returns false when it is not a usable sample (acknowledged before it
     * was sent by the local clock, which was stepped meanwhile, or slower than the bound).
     */
    public boolean sample(Instant sentLocal, Instant ackedLocal, Instant appendedBus) {
        Duration roundTrip = Duration.between(sentLocal, ackedLocal);
        if (roundTrip.isNegative() || roundTrip.compareTo(maxRoundTrip) > 0) {
            return false;
        }
        Instant midpoint = sentLocal.plus(roundTrip.dividedBy(2));
        Sample sample = new Sample(Duration.between(appendedBus, midpoint), roundTrip);
        Optional<Offset> before = current();
        if (before.isPresent()) {
            Duration disagreement = sample.offset().minus(before.get().offset()).abs();
            Duration allowed = before.get().error().plus(roundTrip.dividedBy(2)).plus(stepTolerance);
            if (disagreement.compareTo(allowed) > 0) {
                samples.clear();
            }
        }
        samples.addLast(sample);
        while (samples.size() > window) {
            samples.removeFirst();
        }
        return true;
    }

    /** The estimate from the shortest recent round trip; empty before the first usable sample. */
    public Optional<Offset> current() {
        return samples.stream().min(Comparator.comparing(Sample::roundTrip))
                .map(s -> new Offset(s.offset(), s.roundTrip().dividedBy(2).plusMillis(1)));
    }
}
