package net.goldentooth.monitor.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.export.MetricNames;
import net.goldentooth.monitor.liveness.BusView;
import net.goldentooth.monitor.liveness.NodeLiveness;
import net.goldentooth.monitor.rules.Condition;
import net.goldentooth.monitor.rules.ObservedCert;
import net.goldentooth.monitor.rules.ProbeResult;
import net.goldentooth.monitor.services.ServiceFindings;

/** The monitor's Prometheus metrics ({@link MetricNames}), refreshed after each evaluation. */
@ApplicationScoped
public class MonitorMetrics {

    @Inject
    MeterRegistry registry;

    /** One series: its registered gauge reads {@code value}, so a refresh only sets a number. */
    private static final class Series {
        volatile double value;
        Gauge gauge;
    }

    private record Row(Tags tags, double value) {
    }

    /** Metric name → tags → series. Series are registered once and removed when their subject is gone, so a scrape never sees a metric flicker. */
    private final Map<String, Map<Tags, Series>> series = new HashMap<>();
    private Counter factsIngested;

    private void publish(String name, List<Row> rows) {
        Map<Tags, Series> byTags = series.computeIfAbsent(name, n -> new HashMap<>());
        java.util.Set<Tags> present = new java.util.HashSet<>();
        for (Row row : rows) {
            present.add(row.tags());
            Series s = byTags.computeIfAbsent(row.tags(), tags -> {
                Series created = new Series();
                // Micrometer appends nothing to a gauge name without a base unit, so the name is kept as declared.
                created.gauge = Gauge.builder(name.replace('_', '.'), created, x -> x.value).tags(tags)
                        .strongReference(true).register(registry);
                return created;
            });
            s.value = row.value();
        }
        byTags.entrySet().removeIf(e -> {
            if (present.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        });
    }

    private final Map<List<String>, Counter> dataErrors = new java.util.concurrent.ConcurrentHashMap<>();

    public void dataError(String node, String section) {
        dataErrors.computeIfAbsent(List.of(node, section), k -> Counter.builder(
                MetricNames.DATA_ERRORS.replace("_total", "").replace('_', '.'))
                .tags("node", node, "section", section).register(registry)).increment();
    }

    /** Facts records folded into the core (what the ingestion benchmark counts). */
    public void factsIngested() {
        factsIngested.increment();
    }

    @jakarta.annotation.PostConstruct
    void registerCounters() {
        factsIngested = Counter.builder(MetricNames.FACTS_INGESTED.replace("_total", "").replace('_', '.'))
                .register(registry);
    }

    /** A record of {@code topic} went to its dead-letter topic. */
    public void deadLettered(String topic) {
        Counter.builder(MetricNames.DEAD_LETTERS.replace("_total", "").replace('_', '.')).tags("topic", topic)
                .register(registry).increment();
    }

    public void ruleFileError(String file) {
        Counter.builder(MetricNames.RULE_FILE_ERRORS.replace("_total", "").replace('_', '.'))
                .tags("file", file).register(registry).increment();
    }

    public synchronized void refresh(MonitorCore core, Instant now) {
        Map<String, NodeLiveness> live = core.liveness();
        Map<String, NodeFacts> facts = core.facts();
        rows(MetricNames.NODE_UP, live.values(), l -> Tags.of("node", l.node()),
                l -> l.lastFactsAt() == null ? null : Double.valueOf(l.liveness().down() ? 0 : 1));
        rows(MetricNames.NODE_FACTS_AGE, live.values(), l -> Tags.of("node", l.node()),
                l -> l.factsAge() == null ? null : l.factsAge().toMillis() / 1000.0);
        List<Row> groups = new ArrayList<>();
        core.inventory().values().forEach(h -> h.groups().forEach(g ->
                groups.add(new Row(Tags.of("node", h.name(), "group", g), 1.0))));
        publish(MetricNames.NODE_GROUP, groups);
        rows(MetricNames.NODE_CPU_TEMPERATURE, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.thermal() == null ? null : f.thermal().value().cpuTemperatureCelsius());
        rows(MetricNames.NODE_THROTTLED, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.thermal() == null || f.thermal().value().throttleFlags() == null ? null
                        : f.thermal().value().throttleFlags().stream().anyMatch(
                                net.goldentooth.monitor.rules.Condition.Throttled.CURRENT::contains) ? 1.0 : 0.0);
        rows(MetricNames.NODE_LOAD1, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.load() == null ? null : f.load().value().load1());
        rows(MetricNames.NODE_MEMORY_AVAILABLE_RATIO, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.memory() == null ? null : (double) f.memory().value().availableBytes() / f.memory().value().totalBytes());
        rows(MetricNames.NODE_SWAP_TOTAL_BYTES, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.memory() == null ? null : (double) f.memory().value().swapTotalBytes());
        rows(MetricNames.NODE_CLOCK_OFFSET, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.timeSync() == null || f.timeSync().value().offsetSeconds() == null ? null
                        : Math.abs(f.timeSync().value().offsetSeconds()));
        rows(MetricNames.NODE_BUS_CLOCK_OFFSET, live.values(), l -> Tags.of("node", l.node()),
                l -> l.clockOffset() == null ? null : l.clockOffset().toMillis() / 1000.0);
        rows(MetricNames.NODE_BUS_CLOCK_OFFSET_ERROR, live.values(), l -> Tags.of("node", l.node()),
                l -> l.clockOffsetError() == null ? null : l.clockOffsetError().toMillis() / 1000.0);
        BusView bus = core.bus();
        publish(MetricNames.BUS_UP, bus == null ? List.of() : List.of(new Row(Tags.empty(), bus.up() ? 1.0 : 0.0)));
        rows(MetricNames.NODE_NTP_SYNCED, facts.values(), f -> Tags.of("node", f.node()),
                f -> f.timeSync() == null || f.timeSync().value().synced() == null ? null
                        : f.timeSync().value().synced() ? 1.0 : 0.0);
        rows(MetricNames.NODE_DEFAULT_ROUTE_INFO, facts.values(), f -> Tags.of("node", f.node(), "nic",
                        f.network() == null || f.network().value().defaultRouteNic() == null ? "none"
                                : f.network().value().defaultRouteNic()), f -> f.network() == null ? null : 1.0);
        List<Row> fs = new ArrayList<>();
        facts.values().forEach(f -> {
            if (f.filesystems() != null) {
                f.filesystems().value().stream().filter(x -> x.totalBytes() > 0).forEach(x -> fs.add(new Row(
                        Tags.of("node", f.node(), "mountpoint", x.mountPoint()),
                        1.0 - (double) x.availableBytes() / x.totalBytes())));
            }
        });
        publish(MetricNames.NODE_FILESYSTEM_USED_RATIO, fs);
        List<Row> logMatches = new ArrayList<>();
        core.logMatchCounts(now).forEach((condition, nodes) -> nodes.forEach((node, count) ->
                logMatches.add(new Row(Tags.of("match", condition.id(), "node", node), count))));
        publish(MetricNames.LOG_MATCHES, logMatches);
        List<ObservedCert> certs = core.certs();
        rows(MetricNames.CERT_NOT_AFTER, certs, c -> certTags(c),
                c -> c.notAfter() == null ? null : c.notAfter().getEpochSecond() * 1.0);
        rows(MetricNames.CERT_LIFETIME, certs, c -> certTags(c),
                c -> c.lifetime() == null ? null : c.lifetime().toSeconds() * 1.0);
        rows(MetricNames.CERT_EXPIRY_TIER, certs, c -> certTags(c), c -> switch (c.tier() == null ? "" : c.tier()) {
            case "warning" -> 1.0;
            case "critical" -> 2.0;
            case "emergency" -> 3.0;
            default -> 0.0;
        });
        rows(MetricNames.CERT_RENEWAL_FAILING, certs, c -> certTags(c), c -> c.failingSince() == null ? 0.0 : 1.0);
        List<ProbeResult> probes = core.probes();
        rows(MetricNames.PROBE_SUCCESS, probes, p -> probeTags(p), p -> p.success() ? 1.0 : 0.0);
        rows(MetricNames.PROBE_DURATION, probes, p -> probeTags(p), p -> p.took().toNanos() / 1e9);
        rows(MetricNames.PROBE_TLS_LEAF_NOT_AFTER, probes, p -> probeTags(p),
                p -> p.leafNotAfter() == null ? null : p.leafNotAfter().getEpochSecond() * 1.0);
        List<ReplicationStatus> pairs = core.replication();
        rows(MetricNames.REPLICATION_DIVERGED, pairs, MonitorMetrics::pairTags,
                r -> r.state() == ReplicationState.DIVERGED ? 1.0 : 0.0);
        rows(MetricNames.REPLICATION_LAG, pairs, MonitorMetrics::pairTags, r -> (double) r.lagSeconds());
        rows(MetricNames.STORAGE_CAPACITY_LEVEL, core.capacity(),
                c -> Tags.of("node", c.node(), "mountpoint", c.mountPoint()),
                c -> c.level() == null ? null : Condition.CapacityLevelReached.gaugeValue(c.level()));
        services(facts.values());
        Map<List<String>, Integer> counts = new HashMap<>();
        for (AlertState s : core.alerts()) {
            counts.merge(List.of(s.phase().wire(), s.severity()), 1, Integer::sum);
        }
        List<Row> alertRows = new ArrayList<>();
        counts.forEach((k, v) -> alertRows.add(new Row(Tags.of("state", k.get(0), "severity", k.get(1)), v)));
        publish(MetricNames.ALERTS, alertRows);
    }

    /** The services sections as gauges, read as the rules read them ({@link ServiceFindings}). */
    private void services(Iterable<NodeFacts> facts) {
        List<Row> states = new ArrayList<>();
        List<Row> servers = new ArrayList<>();
        List<Row> serversUp = new ArrayList<>();
        List<Row> ports = new ArrayList<>();
        for (NodeFacts f : facts) {
            ServiceFindings.checks(f).forEach(c -> states.add(new Row(
                    Tags.of("node", f.node(), "service", c.name(), "kind", c.kind()), ServiceFindings.rank(c.state()))));
            ServiceFindings.haproxyBackends(f).forEach(b -> {
                servers.add(new Row(Tags.of("node", f.node(), "backend", b.name()), b.servers()));
                serversUp.add(new Row(Tags.of("node", f.node(), "backend", b.name()), b.serversUp()));
            });
            ServiceFindings.ports(f).forEach(p -> ports.add(new Row(
                    Tags.of("node", f.node(), "port", Integer.toString(p.port())), p.heldByOther() ? 1 : 0)));
        }
        publish(MetricNames.SERVICE_CHECK_STATE, states);
        publish(MetricNames.HAPROXY_BACKEND_SERVERS, servers);
        publish(MetricNames.HAPROXY_BACKEND_SERVERS_UP, serversUp);
        publish(MetricNames.PORT_HELD_BY_OTHER, ports);
        rows(MetricNames.SLURM_MEMORY_EXCESS, facts, f -> Tags.of("node", f.node()), f -> {
            Long excess = ServiceFindings.slurmMemoryExcessBytes(f);
            return excess == null ? null : excess.doubleValue();
        });
        rows(MetricNames.CONSUL_LAST_SEEN, facts, f -> Tags.of("node", f.node()), f -> {
            Long lastSeen = ServiceFindings.consulLastSeen(f);
            return lastSeen == null ? null : lastSeen.doubleValue();
        });
    }

    private static Tags certTags(ObservedCert c) {
        return Tags.of("lineage", c.lineage(), "node", c.node() == null ? "" : c.node());
    }

    private static Tags pairTags(ReplicationStatus r) {
        return Tags.of("dataset", r.dataset(), "target", r.target());
    }

    private static Tags probeTags(ProbeResult p) {
        return Tags.of("target", p.target(), "kind", p.kind(), "instance", p.address());
    }

    private <T> void rows(String name, Iterable<T> items, Function<T, Tags> tags, Function<T, Double> value) {
        List<Row> rows = new ArrayList<>();
        for (T item : items) {
            Double v = value.apply(item);
            if (v != null) {
                rows.add(new Row(tags.apply(item), v));
            }
        }
        publish(name, rows);
    }
}
