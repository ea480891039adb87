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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Grafana dashboard under deploy/grafana parses and queries only metrics that exist: the
 * monitor's ({@link MetricNames}), the node agent's node_exporter names, the provisioner's
 * counters (jobs.json) and storage-service's replication gauges (replication.json).
 */
class GrafanaDashboardsTest {

    private static final Path DIR = Path.of("../deploy/grafana");
    private static final Pattern METRIC = Pattern.compile("\\b(goldentooth_[A-Za-z0-9_]+|node_[A-Za-z0-9_]+)");

    /**
     * What node-agent's {@code NodeExporterMetrics} exports on its {@code /q/metrics}; its
     * {@code NodeExporterMetricsTest} scrapes a Prometheus registry for exactly these names.
     */
    static final Set<String> NODE_AGENT = Set.of("node_load1", "node_load5", "node_load15",
            "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes", "node_memory_SwapTotal_bytes",
            "node_memory_SwapFree_bytes", "node_filesystem_size_bytes", "node_filesystem_avail_bytes",
            "node_thermal_zone_temp", "node_cpu_scaling_frequency_hertz", "node_timex_sync_status",
            "node_timex_offset_seconds", "node_time_seconds", "node_boot_time_seconds");

    /** provisioner's {@code ProvisionerMetrics} counters, as Prometheus exports them (with {@code _total}). */
    static final Set<String> PROVISIONER = Set.of("goldentooth_provisioner_jobs_created_total",
            "goldentooth_provisioner_targets_finished_total", "goldentooth_provisioner_progress_ignored_total",
            "goldentooth_provisioner_progress_duplicates_total", "goldentooth_provisioner_dead_letters_total");

    /** storage-service's {@code ReplicationMetrics}; its {@code ReplicationMetricsTest} scrapes for these names. */
    static final Set<String> STORAGE = Set.of("goldentooth_storage_replication_lag_seconds",
            "goldentooth_storage_replication_snapshots_behind",
            "goldentooth_storage_replication_last_success_timestamp_seconds");

    private static boolean known(String metric) {
        return MetricNames.ALL.contains(metric) || NODE_AGENT.contains(metric) || PROVISIONER.contains(metric)
                || STORAGE.contains(metric);
    }

    @Test
    void dashboardsReferenceOnlyExistingMetrics() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("node-overview.json")), files.toString());
        for (String expected : List.of("certificates.json", "jobs.json", "replication.json")) {
            assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals(expected)), files.toString());
        }
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
                    assertTrue(known(m.group(1)), file + ": unknown metric " + m.group(1) + " in " + expr);
                }
            }
        }
    }

    @Test
    void nodeOverviewShowsNodeFiguresUnderNodeExporterNames() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("node-overview.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        for (String name : List.of("node_thermal_zone_temp", "node_load1", "node_memory_MemAvailable_bytes",
                "node_filesystem_avail_bytes", "node_timex_offset_seconds")) {
            assertTrue(exprs.stream().anyMatch(e -> e.contains(name)), "node-overview.json does not query " + name);
        }
    }
}
