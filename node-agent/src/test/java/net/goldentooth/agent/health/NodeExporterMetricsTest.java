package net.goldentooth.agent.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;

/**
 * Scrapes a Prometheus registry (the one behind {@code /q/metrics}) and checks the exported
 * lines carry node_exporter's exact names and labels, so Micrometer's naming cannot drift them.
 */
class NodeExporterMetricsTest {

    private static final String FACTS = """
            {"node":"bettley","collectedAt":"2026-11-25T10:00:00Z","sequence":1,"agentVersion":"t",
             "host":{"value":{"hostname":"bettley","kernel":"6.1","arch":"aarch64","uptimeSeconds":1000},
                     "stale":false,"collectedAt":"2026-11-25T10:00:00Z"},
             "thermal":{"value":{"cpuTemperatureCelsius":48.5,"cpuFrequencyKhz":1500000},
                        "stale":false,"collectedAt":"2026-11-25T10:00:00Z"},
             "load":{"value":{"load1":0.5,"load5":0.25,"load15":0.125,"cpus":4},
                     "stale":false,"collectedAt":"2026-11-25T10:00:00Z"},
             "memory":{"value":{"totalBytes":8000,"availableBytes":6000,"swapTotalBytes":2000,"swapFreeBytes":1500},
                       "stale":false,"collectedAt":"2026-11-25T10:00:00Z"},
             "filesystems":{"value":[{"mountPoint":"/","device":"/dev/mmcblk0p2","type":"ext4",
                                      "totalBytes":64000,"availableBytes":16000}],
                            "stale":false,"collectedAt":"2026-11-25T10:00:00Z"},
             "timeSync":{"value":{"synced":true,"offsetSeconds":0.25,"source":"ntp"},
                         "stale":false,"collectedAt":"2026-11-25T10:00:00Z"}}
            """;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void exportsTheFactsUnderNodeExporterNames() {
        new AgentMetrics(registry).factsGathered(EventCodec.decode(FACTS, NodeFacts.class));
        String scrape = registry.scrape();
        for (String line : new String[] {
                "node_load1 0.5",
                "node_load5 0.25",
                "node_load15 0.125",
                "node_memory_MemTotal_bytes 8000.0",
                "node_memory_MemAvailable_bytes 6000.0",
                "node_memory_SwapTotal_bytes 2000.0",
                "node_memory_SwapFree_bytes 1500.0",
                "node_filesystem_size_bytes{device=\"/dev/mmcblk0p2\",fstype=\"ext4\",mountpoint=\"/\",} 64000.0",
                "node_filesystem_avail_bytes{device=\"/dev/mmcblk0p2\",fstype=\"ext4\",mountpoint=\"/\",} 16000.0",
                "node_thermal_zone_temp{type=\"cpu-thermal\",zone=\"cpu\",} 48.5",
                "node_cpu_scaling_frequency_hertz{cpu=\"0\",} 1.5E9",
                "node_timex_sync_status 1.0",
                "node_timex_offset_seconds 0.25",
                "node_time_seconds 1.7956008E9",
                "node_boot_time_seconds 1.7955998E9"}) {
            assertTrue(scrape.lines().anyMatch(line::equals), () -> "missing '" + line + "' in\n" + scrape);
        }
    }

    @Test
    void withoutFactsNothingMadeUpIsExported() {
        new AgentMetrics(registry);
        String scrape = registry.scrape();
        assertTrue(scrape.contains("node_load1 NaN"), scrape);
        assertFalse(scrape.contains("node_filesystem_size_bytes{"), scrape);
    }

    @Test
    void aMissingSectionReadsNaNAndAnUnmountedFilesystemDisappears() {
        AgentMetrics metrics = new AgentMetrics(registry);
        metrics.factsGathered(EventCodec.decode(FACTS, NodeFacts.class));
        metrics.factsGathered(EventCodec.decode("""
                {"node":"bettley","collectedAt":"2026-11-25T10:00:15Z","sequence":2,"agentVersion":"t",
                 "load":{"value":{"load1":1.0,"load5":0.25,"load15":0.125,"cpus":4},
                         "stale":false,"collectedAt":"2026-11-25T10:00:15Z"}}
                """, NodeFacts.class));
        String scrape = registry.scrape();
        assertTrue(scrape.contains("node_load1 1.0"), scrape);
        assertTrue(scrape.contains("node_memory_MemTotal_bytes NaN"), scrape);
        assertFalse(scrape.contains("node_filesystem_size_bytes{"), scrape);
    }
}
