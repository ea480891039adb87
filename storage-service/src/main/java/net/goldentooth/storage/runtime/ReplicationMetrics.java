package net.goldentooth.storage.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import net.goldentooth.events.storage.ReplicationStatus;

/**
 * Replication per dataset × target on {@code /q/metrics}, from the newest {@link ReplicationStatus}
 * (restored from {@code storage.replication} at start-up, then every run):
 * {@code goldentooth_storage_replication_lag_seconds}, {@code goldentooth_storage_replication_snapshots_behind}
 * and {@code goldentooth_storage_replication_last_success_timestamp_seconds} (NaN before the first success),
 * each labelled {@code dataset}, {@code target}.
 */
@ApplicationScoped
public class ReplicationMetrics {

    static final String LAG = "goldentooth_storage_replication_lag_seconds";
    static final String BEHIND = "goldentooth_storage_replication_snapshots_behind";
    static final String LAST_SUCCESS = "goldentooth_storage_replication_last_success_timestamp_seconds";

    private final MeterRegistry registry;
    private final Map<String, ReplicationStatus> latest = new ConcurrentHashMap<>();

    @Inject
    public ReplicationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void update(ReplicationStatus status) {
        String key = ReplicationStatus.key(status.dataset(), status.target());
        if (latest.put(key, status) == null) {
            Tags tags = Tags.of("dataset", status.dataset(), "target", status.target());
            gauge(LAG, "seconds between the source's newest snapshot and the newest one the target has", key, tags,
                    ReplicationStatus::lagSeconds);
            gauge(BEHIND, "source snapshots the target does not have yet", key, tags,
                    ReplicationStatus::snapshotsBehind);
            gauge(LAST_SUCCESS, "when the pair was last brought in sync (Unix seconds)", key, tags,
                    s -> s.lastSuccessAt() == null ? Double.NaN : s.lastSuccessAt().getEpochSecond());
        }
    }

    private void gauge(String name, String description, String key, Tags tags, ToDoubleFunction<ReplicationStatus> value) {
        Gauge.builder(name, latest, pairs -> value.applyAsDouble(pairs.get(key)))
                .description(description).tags(tags).register(registry);
    }
}
