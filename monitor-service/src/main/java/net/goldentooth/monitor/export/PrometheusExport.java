package net.goldentooth.monitor.export;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.monitor.rules.RuleDefinition;

/**
 * Renders rule definitions as a Prometheus rule file over the monitor's exported metrics, for
 * sites that keep Prometheus. Pure; the checked-in {@code deploy/prometheus/goldentooth-rules.yaml}
 * must equal this output (a test compares them).
 */
public final class PrometheusExport {

    public static final String HEADER = "# Generated from monitor-service/src/main/resources/rules/goldentooth-rules.yaml\n"
            + "# by PrometheusExportTest (run it with -Dgoldentooth.export.write=true to regenerate). Do not edit.\n";

    public static String render(List<RuleDefinition> rules) {
        StringBuilder out = new StringBuilder(HEADER);
        out.append("groups:\n  - name: goldentooth\n    rules:\n");
        for (RuleDefinition rule : rules) {
            out.append("      - alert: ").append(rule.name()).append('\n');
            out.append("        expr: ").append(quote(rule.condition().promQl())).append('\n');
            out.append("        for: ").append(duration(rule.forDuration())).append('\n');
            Map<String, String> labels = new TreeMap<>(rule.labels());
            labels.put("severity", rule.severity());
            block(out, "labels", labels);
            block(out, "annotations", new TreeMap<>(rule.annotations()));
        }
        return out.toString();
    }

    private static void block(StringBuilder out, String name, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        out.append("        ").append(name).append(":\n");
        entries.forEach((k, v) -> out.append("          ").append(k).append(": ").append(quote(v)).append('\n'));
    }

    /** Prometheus durations: the largest whole unit. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** A YAML double-quoted scalar. */
    private static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }

    private PrometheusExport() {
    }
}
