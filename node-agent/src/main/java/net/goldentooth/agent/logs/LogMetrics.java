package net.goldentooth.agent.logs;

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
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

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
        counts.computeIfAbsent(name + ":" + value, k -> new AtomicLong()).addAndGet(n);
        if (registry != null) {
            registry.counter("goldentooth.agent.logs." + name, tag, value).increment(n);
        }
    }

    /** A line outcome's count so far. */
    public long lines(String outcome) {
        AtomicLong n = counts.get("lines:" + outcome);
        return n == null ? 0 : n.get();
    }

    /** An input anomaly's count so far. */
    public long anomalies(String kind) {
        AtomicLong n = counts.get("anomalies:" + kind);
        return n == null ? 0 : n.get();
    }
}
