package net.goldentooth.agent.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import net.goldentooth.events.facts.NodeFacts;

/**
 * The agent's newest facts under node_exporter's metric names, so dashboards and rules written
 * for node_exporter work against {@code /q/metrics} for what both report. Names are given in
 * their exported spelling (no Micrometer base units, which would append suffixes). A value the
 * facts do not have (a missing section, no thermal zone, no time-sync answer) reads NaN rather
 * than a made-up zero. Only the node this agent runs on is exported, not its simulated nodes.
 */
public final class NodeExporterMetrics {

    /**
     * The agent reads the first CPU thermal zone only; its zone number and type are not in the
     * facts, so the labels name it by role. Dashboards select {@code node_thermal_zone_temp} by name.
     */
    static final Tags CPU_ZONE = Tags.of("zone", "cpu", "type", "cpu-thermal");

    private final AtomicReference<NodeFacts> latest = new AtomicReference<>();
    private final MultiGauge filesystemSize;
    private final MultiGauge filesystemAvail;

    /**
     * The gauges hold {@code latest} strongly: Micrometer holds a gauge's object weakly by default,
     * and a gauge whose object was collected silently drops out of {@code /q/metrics}.
     */
    public NodeExporterMetrics(MeterRegistry registry) {
        gauge(registry, "node_load1", "1m load average", NodeFacts::load, NodeFacts.Load::load1, Tags.empty());
        gauge(registry, "node_load5", "5m load average", NodeFacts::load, NodeFacts.Load::load5, Tags.empty());
        gauge(registry, "node_load15", "15m load average", NodeFacts::load, NodeFacts.Load::load15, Tags.empty());
        gauge(registry, "node_memory_MemTotal_bytes", "MemTotal of /proc/meminfo", NodeFacts::memory,
                NodeFacts.Memory::totalBytes, Tags.empty());
        gauge(registry, "node_memory_MemAvailable_bytes", "MemAvailable of /proc/meminfo", NodeFacts::memory,
                NodeFacts.Memory::availableBytes, Tags.empty());
        gauge(registry, "node_memory_SwapTotal_bytes", "SwapTotal of /proc/meminfo", NodeFacts::memory,
                NodeFacts.Memory::swapTotalBytes, Tags.empty());
        gauge(registry, "node_memory_SwapFree_bytes", "SwapFree of /proc/meminfo", NodeFacts::memory,
                NodeFacts.Memory::swapFreeBytes, Tags.empty());
        gauge(registry, "node_thermal_zone_temp", "CPU thermal zone temperature in Celsius", NodeFacts::thermal,
                t -> nanIfNull(t.cpuTemperatureCelsius()), CPU_ZONE);
        gauge(registry, "node_cpu_scaling_frequency_hertz", "current scaled frequency of cpu0", NodeFacts::thermal,
                t -> t.cpuFrequencyKhz() == null ? Double.NaN : t.cpuFrequencyKhz() * 1000.0, Tags.of("cpu", "0"));
        gauge(registry, "node_timex_sync_status", "1 when the clock is synchronised", NodeFacts::timeSync,
                t -> t.synced() == null ? Double.NaN : t.synced() ? 1 : 0, Tags.empty());
        gauge(registry, "node_timex_offset_seconds", "clock offset from the time source", NodeFacts::timeSync,
                t -> nanIfNull(t.offsetSeconds()), Tags.empty());
        Gauge.builder("node_time_seconds", latest, ref -> ref.get() == null ? Double.NaN
                        : ref.get().collectedAt().toEpochMilli() / 1000.0)
                .description("system time when the facts were collected").strongReference(true).register(registry);
        Gauge.builder("node_boot_time_seconds", latest, ref -> {
            NodeFacts.Host host = valueOf(ref.get(), NodeFacts::host);
            return host == null ? Double.NaN : ref.get().collectedAt().getEpochSecond() - host.uptimeSeconds();
        }).description("boot time (collection time minus uptime)").strongReference(true).register(registry);
        filesystemSize = MultiGauge.builder("node_filesystem_size_bytes").description("filesystem size")
                .register(registry);
        filesystemAvail = MultiGauge.builder("node_filesystem_avail_bytes")
                .description("filesystem space available to non-root users").register(registry);
    }

    /** Takes the newest facts of the node the agent runs on. */
    public void update(NodeFacts facts) {
        latest.set(facts);
        List<NodeFacts.Filesystem> filesystems = valueOf(facts, NodeFacts::filesystems);
        List<NodeFacts.Filesystem> all = filesystems == null ? List.of() : filesystems;
        filesystemSize.register(all.stream().map(fs -> MultiGauge.Row.of(filesystemTags(fs), fs.totalBytes())).toList(),
                true);
        filesystemAvail.register(all.stream().map(fs -> MultiGauge.Row.of(filesystemTags(fs), fs.availableBytes()))
                .toList(), true);
    }

    private <S> void gauge(MeterRegistry registry, String name, String description,
                           Function<NodeFacts, NodeFacts.Section<S>> section, ToDoubleFunction<S> value, Tags tags) {
        Gauge.builder(name, latest, ref -> {
            S s = valueOf(ref.get(), section);
            return s == null ? Double.NaN : value.applyAsDouble(s);
        }).description(description).tags(tags).strongReference(true).register(registry);
    }

    private static <S> S valueOf(NodeFacts facts, Function<NodeFacts, NodeFacts.Section<S>> section) {
        if (facts == null) {
            return null;
        }
        NodeFacts.Section<S> s = section.apply(facts);
        return s == null ? null : s.value();
    }

    private static Tags filesystemTags(NodeFacts.Filesystem fs) {
        return Tags.of("mountpoint", fs.mountPoint(), "device", fs.device(), "fstype", fs.type());
    }

    private static double nanIfNull(Double value) {
        return value == null ? Double.NaN : value;
    }
}
