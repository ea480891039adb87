package net.goldentooth.monitor.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.monitor.rules.RuleDefinition;
import net.goldentooth.monitor.rules.RuleFileParser;
import net.goldentooth.monitor.rules.RuleSet;
import org.junit.jupiter.api.Test;

/**
 * The checked-in Prometheus rule file is exactly what the shipped rule definitions render to, so
 * the two cannot drift. Regenerate with {@code -Dgoldentooth.export.write=true}.
 */
class PrometheusExportTest {

    static final Path EXPORTED = Path.of("../deploy/prometheus/goldentooth-rules.yaml");
    private static final Pattern METRIC = Pattern.compile("goldentooth_[a-z0-9_]+");

    static List<RuleDefinition> shipped() throws IOException {
        try (var in = PrometheusExportTest.class.getClassLoader().getResourceAsStream(RuleSet.SHIPPED)) {
            return RuleFileParser.parse(RuleSet.SHIPPED, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void exportedRuleFileMatchesTheDefinitions() throws IOException {
        String rendered = PrometheusExport.render(shipped());
        if (Boolean.getBoolean("goldentooth.export.write")) {
            Files.createDirectories(EXPORTED.getParent());
            Files.writeString(EXPORTED, rendered);
        }
        assertTrue(Files.exists(EXPORTED), EXPORTED + " is missing; run this test with -Dgoldentooth.export.write=true");
        assertEquals(rendered, Files.readString(EXPORTED),
                EXPORTED + " drifted from the rule definitions; regenerate with -Dgoldentooth.export.write=true");
    }

    @Test
    void exportedExpressionsNameOnlyExportedMetrics() throws IOException {
        String rendered = PrometheusExport.render(shipped());
        Matcher m = METRIC.matcher(rendered);
        int seen = 0;
        while (m.find()) {
            assertTrue(MetricNames.ALL.contains(m.group()), "unknown metric " + m.group());
            seen++;
        }
        assertTrue(seen >= 16, "every rule names at least one metric, saw " + seen);
    }

    @Test
    void durationsUseTheLargestWholeUnit() {
        assertEquals("0s", PrometheusExport.duration(java.time.Duration.ZERO));
        assertEquals("90s", PrometheusExport.duration(java.time.Duration.ofSeconds(90)));
        assertEquals("5m", PrometheusExport.duration(java.time.Duration.ofMinutes(5)));
        assertEquals("1h", PrometheusExport.duration(java.time.Duration.ofHours(1)));
    }
}
