package net.goldentooth.monitor.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Grafana dashboard under deploy/grafana parses and queries only metrics the monitor exports. */
class GrafanaDashboardsTest {

    private static final Path DIR = Path.of("../deploy/grafana");
    private static final Pattern METRIC = Pattern.compile("\\b(goldentooth_[a-z0-9_]+|node_[a-z0-9_]+)");

    @Test
    void dashboardsReferenceOnlyExistingMetrics() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("node-overview.json")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("certificates.json")), files.toString());
        for (Path file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            List<String> exprs = new ArrayList<>();
            dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
            assertFalse(exprs.isEmpty(), file + " has no queries");
            for (String expr : exprs) {
                Matcher m = METRIC.matcher(expr);
                assertTrue(m.find(), file + ": query names no metric: " + expr);
                m.reset();
                while (m.find()) {
                    assertTrue(MetricNames.ALL.contains(m.group(1)), file + ": unknown metric " + m.group(1) + " in " + expr);
                }
            }
        }
    }
}
