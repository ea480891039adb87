package net.goldentooth.agent.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The node's CPU, network and disk counters under node_exporter's names, types, HELP texts, labels and
 * units, read from {@code /proc} when scraped (at most once a second, however many series): {@code
 * node_cpu_seconds_total{cpu,mode}}, {@code node_cpu_guest_seconds_total{cpu,mode}}, the sixteen {@code
 * node_network_{receive,transmit}_*_total{device}} of {@code /proc/net/dev}, and the {@code node_disk_*}
 * of {@code /proc/diskstats} for the disks node_exporter reports. CPUs, interfaces and disks that come or
 * go are picked up by {@link #refresh()}, which the facts cycle calls.
 */
public final class KernelCounterMetrics {

    private static final Logger LOG = Logger.getLogger(KernelCounterMetrics.class);

    private static final double SECTOR_BYTES = 512.0;
    private static final double MILLIS = 0.001;
    private static final Duration MAX_AGE = Duration.ofSeconds(1);

    private static final String CPU_HELP = "Seconds the CPUs spent in each mode.";
    private static final String GUEST_HELP = "Seconds the CPUs spent in guests (VMs) for each mode.";

    /** A node_exporter disk series: its name without {@code _total}, the diskstats field, the factor to its unit. */
    private record DiskSeries(String name, int field, double factor, boolean counter, String help) {
    }

    private static final List<DiskSeries> DISK_SERIES = List.of(
            new DiskSeries("node_disk_reads_completed", 0, 1, true, "The total number of reads completed successfully."),
            new DiskSeries("node_disk_reads_merged", 1, 1, true, "The total number of reads merged."),
            new DiskSeries("node_disk_read_bytes", 2, SECTOR_BYTES, true, "The total number of bytes read successfully."),
            new DiskSeries("node_disk_read_time_seconds", 3, MILLIS, true, "The total number of seconds spent by all reads."),
            new DiskSeries("node_disk_writes_completed", 4, 1, true, "The total number of writes completed successfully."),
            new DiskSeries("node_disk_writes_merged", 5, 1, true, "The number of writes merged."),
            new DiskSeries("node_disk_written_bytes", 6, SECTOR_BYTES, true, "The total number of bytes written successfully."),
            new DiskSeries("node_disk_write_time_seconds", 7, MILLIS, true,
                    "This is the total number of seconds spent by all writes."),
            new DiskSeries("node_disk_io_now", 8, 1, false, "The number of I/Os currently in progress."),
            new DiskSeries("node_disk_io_time_seconds", 9, MILLIS, true, "Total seconds spent doing I/Os."),
            new DiskSeries("node_disk_io_time_weighted_seconds", 10, MILLIS, true,
                    "The weighted # of seconds spent doing I/Os."),
            new DiskSeries("node_disk_discards_completed", 11, 1, true,
                    "The total number of discards completed successfully."),
            new DiskSeries("node_disk_discards_merged", 12, 1, true, "The total number of discards merged."),
            new DiskSeries("node_disk_discarded_sectors", 13, 1, true, "The total number of sectors discarded successfully."),
            new DiskSeries("node_disk_discard_time_seconds", 14, MILLIS, true,
                    "This is the total number of seconds spent by all discards."),
            new DiskSeries("node_disk_flush_requests", 15, 1, true,
                    "The total number of flush requests completed successfully"),
            new DiskSeries("node_disk_flush_requests_time_seconds", 16, MILLIS, true,
                    "This is the total number of seconds spent by all flush requests."));

    private record Snapshot(Map<String, KernelCounters.Cpu> cpus, Map<String, KernelCounters.NetDevice> nets,
                            Map<String, KernelCounters.Disk> disks) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());
    }

    private final MeterRegistry registry;
    private final Path proc;
    private final Clock clock;
    /** The meters of each CPU, interface and disk (keyed "cpu:0", "net:eth0", "disk:sda"), so vanished ones can be removed. */
    private final Map<String, List<Meter>> meters = new HashMap<>();
    private Snapshot snapshot = Snapshot.EMPTY;
    private Instant readAt = Instant.MIN;
    private final Map<String, String> failing = new HashMap<>();

    /** @param proc where procfs is mounted, {@code /proc} but for tests */
    public KernelCounterMetrics(MeterRegistry registry, Path proc, Clock clock) {
        this.registry = registry;
        this.proc = proc;
        this.clock = clock;
        refresh();
    }

    /** Re-reads the counters and registers the series of new CPUs, interfaces and disks, removing vanished ones. */
    public synchronized void refresh() {
        readAt = Instant.MIN;
        Snapshot now = current();
        Map<String, Runnable> wanted = new HashMap<>();
        now.cpus.keySet().forEach(cpu -> wanted.put("cpu:" + cpu, () -> registerCpu(cpu)));
        now.nets.keySet().forEach(dev -> wanted.put("net:" + dev, () -> registerNet(dev)));
        now.disks.keySet().forEach(disk -> wanted.put("disk:" + disk, () -> registerDisk(disk)));
        meters.keySet().removeIf(key -> {
            if (wanted.containsKey(key)) {
                return false;
            }
            meters.get(key).forEach(registry::remove);
            return true;
        });
        wanted.forEach((key, register) -> {
            if (!meters.containsKey(key)) {
                meters.put(key, new ArrayList<>());
                register.run();
            }
        });
    }

    private void registerCpu(String cpu) {
        for (int mode = 0; mode < 8; mode++) {
            int m = mode;
            counter("cpu:" + cpu, "node_cpu_seconds", CPU_HELP, Tags.of("cpu", cpu, "mode", KernelCounters.CPU_MODES.get(m)),
                    s -> cpuSeconds(s, cpu, m));
        }
        counter("cpu:" + cpu, "node_cpu_guest_seconds", GUEST_HELP, Tags.of("cpu", cpu, "mode", "user"), s -> cpuSeconds(s, cpu, 8));
        counter("cpu:" + cpu, "node_cpu_guest_seconds", GUEST_HELP, Tags.of("cpu", cpu, "mode", "nice"), s -> cpuSeconds(s, cpu, 9));
    }

    private void registerNet(String device) {
        Tags tags = Tags.of("device", device);
        for (int i = 0; i < KernelCounters.NET_RECEIVE.size(); i++) {
            int column = i;
            String receive = "receive_" + KernelCounters.NET_RECEIVE.get(i);
            String transmit = "transmit_" + KernelCounters.NET_TRANSMIT.get(i);
            counter("net:" + device, "node_network_" + receive, "Network device statistic " + receive + ".", tags,
                    s -> net(s, device, true, column));
            counter("net:" + device, "node_network_" + transmit, "Network device statistic " + transmit + ".", tags,
                    s -> net(s, device, false, column));
        }
    }

    private void registerDisk(String disk) {
        KernelCounters.Disk now = snapshot.disks.get(disk);
        Tags tags = Tags.of("device", disk);
        for (DiskSeries series : DISK_SERIES) {
            if (!now.has(series.field)) {
                continue;
            }
            ToDoubleFunction<Snapshot> value = s -> {
                KernelCounters.Disk d = s.disks.get(disk);
                return d == null || !d.has(series.field) ? Double.NaN : unsigned(d.fields()[series.field]) * series.factor;
            };
            if (series.counter) {
                counter("disk:" + disk, series.name, series.help, tags, value);
            } else {
                meters.get("disk:" + disk).add(Gauge.builder(series.name, this, k -> value.applyAsDouble(k.read()))
                        .description(series.help).tags(tags).strongReference(true).register(registry));
            }
        }
    }

    private void counter(String key, String name, String help, Tags tags, ToDoubleFunction<Snapshot> value) {
        meters.get(key).add(FunctionCounter.builder(name, this, k -> value.applyAsDouble(k.read()))
                .description(help).tags(tags).register(registry));
    }

    private static double cpuSeconds(Snapshot s, String cpu, int mode) {
        KernelCounters.Cpu c = s.cpus.get(cpu);
        return c == null ? Double.NaN : unsigned(c.ticks()[mode]) / KernelCounters.USER_HZ;
    }

    private static double net(Snapshot s, String device, boolean receive, int column) {
        KernelCounters.NetDevice d = s.nets.get(device);
        return d == null ? Double.NaN : unsigned((receive ? d.receive() : d.transmit())[column]);
    }

    private synchronized Snapshot read() {
        return current();
    }

    /** The counters, re-read when older than a second; a file that cannot be read keeps its last values. */
    private Snapshot current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(MAX_AGE) < 0) {
            return snapshot;
        }
        readAt = now;
        Map<String, KernelCounters.Cpu> cpus = readFile("stat", snapshot.cpus, text -> index(KernelCounters.parseStat(text),
                KernelCounters.Cpu::cpu));
        Map<String, KernelCounters.NetDevice> nets = readFile("net/dev", snapshot.nets,
                text -> index(KernelCounters.parseNetDev(text), KernelCounters.NetDevice::device));
        Map<String, KernelCounters.Disk> disks = readFile("diskstats", snapshot.disks,
                text -> index(KernelCounters.parseDiskstats(text), KernelCounters.Disk::device));
        snapshot = new Snapshot(cpus, nets, disks);
        return snapshot;
    }

    private <T> Map<String, T> readFile(String name, Map<String, T> previous,
                                        Function<String, Map<String, T>> parse) {
        Path file = proc.resolve(name);
        try {
            Map<String, T> parsed = parse.apply(Files.readString(file));
            if (failing.remove(name) != null) {
                LOG.infof("%s is readable again", file);
            }
            return parsed;
        } catch (IOException | IllegalArgumentException e) {
            // Said once per failing spell, not once a scrape; the series keep their last values meanwhile.
            if (failing.put(name, String.valueOf(e.getMessage())) == null) {
                LOG.warnf("%s cannot be read for node_exporter's counters: %s", file, e.getMessage());
            }
            return previous;
        }
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        items.forEach(item -> out.put(key.apply(item), item));
        return out;
    }

    /** A kernel counter is unsigned 64-bit. */
    private static double unsigned(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
    }
}
