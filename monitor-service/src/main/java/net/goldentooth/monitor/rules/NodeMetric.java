package net.goldentooth.monitor.rules;

import java.util.function.Function;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.export.MetricNames;

/** The per-node numbers a {@code metric} condition may name, with the metric each is exported as. */
public enum NodeMetric {
    CPU_TEMPERATURE("thermal.cpuTemperatureCelsius", MetricNames.NODE_CPU_TEMPERATURE,
            f -> f.thermal() == null ? null : f.thermal().value().cpuTemperatureCelsius()),
    LOAD1("load.load1", MetricNames.NODE_LOAD1, f -> f.load() == null ? null : f.load().value().load1()),
    MEMORY_AVAILABLE_RATIO("memory.availableRatio", MetricNames.NODE_MEMORY_AVAILABLE_RATIO,
            f -> f.memory() == null ? null
                    : (double) f.memory().value().availableBytes() / f.memory().value().totalBytes()),
    CLOCK_OFFSET("timeSync.absOffsetSeconds", MetricNames.NODE_CLOCK_OFFSET,
            f -> f.timeSync() == null || f.timeSync().value().offsetSeconds() == null ? null
                    : Math.abs(f.timeSync().value().offsetSeconds()));

    private final String path;
    private final String exportedAs;
    private final Function<NodeFacts, Double> read;

    NodeMetric(String path, String exportedAs, Function<NodeFacts, Double> read) {
        this.path = path;
        this.exportedAs = exportedAs;
        this.read = read;
    }

    public String path() {
        return path;
    }

    public String exportedAs() {
        return exportedAs;
    }

    /** The value from checked facts, or null where the section is missing or was withheld. */
    public Double read(NodeFacts facts) {
        return facts == null ? null : read.apply(facts);
    }

    public static NodeMetric parse(String path) {
        for (NodeMetric m : values()) {
            if (m.path.equals(path)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (NodeMetric m : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(m.path);
        }
        throw new IllegalArgumentException("unknown metric '" + path + "', expected one of: " + known);
    }
}
