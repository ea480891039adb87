package net.goldentooth.storage.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Instant;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import org.junit.jupiter.api.Test;

/** Scrapes a Prometheus registry: the exported names are what deploy/grafana/replication.json queries. */
class ReplicationMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ReplicationMetrics metrics = new ReplicationMetrics(registry);

    private static ReplicationStatus status(String target, ReplicationState state, int behind, long lag, Instant success) {
        return new ReplicationStatus("tank/data", "allyrion", target, state, "autosnap_1", "autosnap_3", behind, lag,
                0, null, T0, success);
    }

    private void assertLine(String line) {
        String scrape = registry.scrape();
        assertTrue(scrape.lines().anyMatch(line::equals), () -> "missing '" + line + "' in\n" + scrape);
    }

    @Test
    void exportsLagAndSnapshotsBehindPerDatasetAndTarget() {
        metrics.update(status("bettley", ReplicationState.BEHIND, 2, 7200, null));
        metrics.update(status("cargyll", ReplicationState.IN_SYNC, 0, 0, T0));
        assertLine("goldentooth_storage_replication_lag_seconds{dataset=\"tank/data\",target=\"bettley\",} 7200.0");
        assertLine("goldentooth_storage_replication_snapshots_behind{dataset=\"tank/data\",target=\"bettley\",} 2.0");
        assertLine("goldentooth_storage_replication_last_success_timestamp_seconds{dataset=\"tank/data\",target=\"bettley\",} NaN");
        assertLine("goldentooth_storage_replication_lag_seconds{dataset=\"tank/data\",target=\"cargyll\",} 0.0");
        assertLine("goldentooth_storage_replication_last_success_timestamp_seconds{dataset=\"tank/data\",target=\"cargyll\",} 1.7956008E9");
    }

    @Test
    void aNewerStatusReplacesTheOlderOne() {
        metrics.update(status("bettley", ReplicationState.BEHIND, 2, 7200, null));
        metrics.update(status("bettley", ReplicationState.IN_SYNC, 0, 0, T0));
        assertLine("goldentooth_storage_replication_lag_seconds{dataset=\"tank/data\",target=\"bettley\",} 0.0");
        assertLine("goldentooth_storage_replication_snapshots_behind{dataset=\"tank/data\",target=\"bettley\",} 0.0");
    }
}
