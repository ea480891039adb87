package net.goldentooth.agent.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shipper's counts: {@code goldentooth_agent_logs_lines_total{outcome}} for every line read
 * (shipped, filtered, rate-limited, failed) and {@code goldentooth_agent_logs_anomalies_total{kind}} for
 * what was odd about the input (truncated, invalid-utf8, binary, oversized-entry, not-an-entry,
 * cursor-reset, journal-gap, file-rotated, file-truncated, journalctl-exit). Held here too, so tests
 * and the README's status read them without a registry.
 */
public final class LogMetrics {

    private final MeterRegistry registry;
    /** Per name and outcome (or kind): the count here and its registry counter, looked up once rather than per line. */
    private final Map<String, Map<String, Count>> counts = new ConcurrentHashMap<>();

    private record Count(AtomicLong n, Counter counter) {
    }

    public LogMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void line(String outcome) {
        add("lines", "outcome", outcome, 1);
    }

    void anomaly(String kind) {
        anomaly(kind, 1);
    }

    void anomaly(String kind, long n) {
        add("anomalies", "kind", kind, n);
    }

    private void add(String name, String tag, String value, long n) {
        Count count = counts.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).computeIfAbsent(value,
                v -> new Count(new AtomicLong(), registry == null ? null
                        : registry.counter("goldentooth.agent.logs." + name, tag, v)));
        count.n().addAndGet(n);
        if (count.counter() != null) {
            count.counter().increment(n);
        }
    }

    /** A line outcome's count so far. */
    public long lines(String outcome) {
        return get("lines", outcome);
    }

    /** An input anomaly's count so far. */
    public long anomalies(String kind) {
        return get("anomalies", kind);
    }

    private long get(String name, String value) {
        Count count = counts.getOrDefault(name, Map.of()).get(value);
        return count == null ? 0 : count.n().get();
    }
}
