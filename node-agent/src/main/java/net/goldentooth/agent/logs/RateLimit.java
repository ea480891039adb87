package net.goldentooth.agent.logs;

/**
 * A token bucket: {@code perSecond} lines a second with up to {@code burst} saved up. Given the
 * time in nanoseconds instead of reading a clock, so tests step it. Not thread-safe: the shipper
 * calls it under its own lock.
 */
final class RateLimit {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimit(int perSecond, int burst, long nowNanos) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("goldentooth.agent.logs.rate-limit must be positive, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("goldentooth.agent.logs.rate-burst must be at least 1, was " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one line's token; false when the node is over its rate. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
