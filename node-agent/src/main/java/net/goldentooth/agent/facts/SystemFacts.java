package net.goldentooth.agent.facts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.agent.certs.scan.DiskCertificates;
import net.goldentooth.events.facts.NodeFacts;

/**
 * Reads this machine's facts: the I/O half of the collectors, each method one section. The text
 * goes through {@link FactsParsers}; nothing here interprets it.
 */
public final class SystemFacts implements FactSources {

    /** The three sysctls the seed's configure_cluster sets for Kubernetes networking. */
    static final Map<String, String> SYSCTLS = Map.of(
            "net.bridge.bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables", "/proc/sys/net/bridge/bridge-nf-call-ip6tables",
            "net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward");

    private final CommandRunner commands;
    private final List<String> units;
    private final DiskCertificates certificates;

    public SystemFacts(CommandRunner commands, List<String> units, DiskCertificates certificates) {
        this.commands = commands;
        this.units = List.copyOf(units);
        this.certificates = certificates;
    }

    @Override
    public NodeFacts.Host host() throws IOException {
        Path model = Path.of("/proc/device-tree/model");
        Path osRelease = Path.of("/etc/os-release");
        return new NodeFacts.Host(
                read("/proc/sys/kernel/hostname").trim(),
                read("/proc/sys/kernel/osrelease").trim(),
                FactsParsers.machineArch(System.getProperty("os.arch")),
                Files.isReadable(model) ? FactsParsers.deviceTreeModel(Files.readString(model, StandardCharsets.ISO_8859_1)) : null,
                Files.isReadable(osRelease) ? FactsParsers.osRelease(Files.readString(osRelease)) : null,
                FactsParsers.uptimeSeconds(read("/proc/uptime")));
    }

    @Override
    public NodeFacts.Network network() throws IOException {
        Optional<FactsParsers.DefaultRoute> route = FactsParsers.defaultRoute(read("/proc/net/route"));
        List<NodeFacts.Nic> nics = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
            for (Path nic : dir) {
                String name = nic.getFileName().toString();
                String mac = readIfPresent(nic.resolve("address"));
                String state = readIfPresent(nic.resolve("operstate"));
                nics.add(new NodeFacts.Nic(name, mac, "up".equals(state) || ("lo".equals(name) && "unknown".equals(state)),
                        addresses(name)));
            }
        }
        nics.sort(java.util.Comparator.comparing(NodeFacts.Nic::name));
        return new NodeFacts.Network(nics, route.map(FactsParsers.DefaultRoute::nic).orElse(null),
                route.map(FactsParsers.DefaultRoute::gateway).orElse(null));
    }

    @Override
    public NodeFacts.Thermal thermal() throws IOException, InterruptedException {
        Double temperature = null;
        Path zone = cpuThermalZone();
        if (zone != null) {
            temperature = FactsParsers.temperatureCelsius(Files.readString(zone.resolve("temp")));
        }
        Path freq = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq");
        Long frequency = Files.isReadable(freq) ? FactsParsers.frequencyKhz(Files.readString(freq)) : null;
        String raw = null;
        List<String> flags = null;
        try {
            CommandRunner.Result throttled = commands.run(List.of("vcgencmd", "get_throttled"));
            if (throttled.exitCode() == 0) {
                raw = FactsParsers.throttledRaw(throttled.stdout());
                flags = FactsParsers.throttleFlags(raw);
            }
        } catch (CommandRunner.CommandMissingException notAPi) {
            // Only Raspberry Pi firmware has vcgencmd; elsewhere throttling is simply not reported.
        }
        return new NodeFacts.Thermal(temperature, frequency, raw, flags);
    }

    @Override
    public NodeFacts.Load load() throws IOException {
        FactsParsers.LoadAverage avg = FactsParsers.loadavg(read("/proc/loadavg"));
        return new NodeFacts.Load(avg.load1(), avg.load5(), avg.load15(), Runtime.getRuntime().availableProcessors());
    }

    @Override
    public NodeFacts.Memory memory() throws IOException {
        return FactsParsers.meminfo(read("/proc/meminfo"));
    }

    /** statfs per real mount: where a dead NFS server hangs the calling thread. */
    @Override
    public List<NodeFacts.Filesystem> filesystems() throws IOException {
        List<NodeFacts.Filesystem> out = new ArrayList<>();
        for (FactsParsers.MountEntry mount : FactsParsers.mounts(read("/proc/mounts"))) {
            FileStore store = Files.getFileStore(Path.of(mount.mountPoint()));
            out.add(new NodeFacts.Filesystem(mount.mountPoint(), mount.device(), mount.type(), store.getTotalSpace(),
                    store.getUsableSpace()));
        }
        return out;
    }

    @Override
    public NodeFacts.TimeSync timeSync() throws IOException, InterruptedException {
        Boolean synced = null;
        String source = null;
        try {
            CommandRunner.Result show = commands.run(List.of("timedatectl", "show"));
            if (show.exitCode() == 0) {
                synced = FactsParsers.timedatectlSynced(show.stdout());
                source = "timedatectl";
            }
        } catch (CommandRunner.CommandMissingException absent) {
            // fall through to chrony
        }
        try {
            CommandRunner.Result tracking = commands.run(List.of("chronyc", "tracking"));
            if (tracking.exitCode() == 0) {
                FactsParsers.ChronyTracking chrony = FactsParsers.chronyTracking(tracking.stdout());
                return new NodeFacts.TimeSync(synced != null ? synced : chrony.synced(), chrony.offsetSeconds(),
                        source == null ? "chronyc tracking" : source + " + chronyc tracking");
            }
        } catch (CommandRunner.CommandMissingException absent) {
            // neither tool: say so below
        }
        return new NodeFacts.TimeSync(synced, null,
                source != null ? source + " (no chronyc: offset unknown)"
                        : "unknown: neither timedatectl nor chronyc answered");
    }

    /** {@code systemctl is-active}; throws (so the section is stale with the reason) when systemctl is absent. */
    @Override
    public Map<String, String> units() throws IOException, InterruptedException {
        if (units.isEmpty()) {
            return Map.of();
        }
        List<String> command = new ArrayList<>(List.of("systemctl", "is-active"));
        command.addAll(units);
        CommandRunner.Result result = commands.run(command);
        try {
            return FactsParsers.unitStates(units, result.stdout());
        } catch (FactsParseException e) {
            // No states at all: systemctl could not reach systemd (a container, a chroot); say what it said.
            throw new FactsParseException("systemctl is-active failed: " + result.firstErrorLine());
        }
    }

    @Override
    public NodeFacts.Kernel kernel() throws IOException {
        Path modules = Path.of("/proc/modules");
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (Map.Entry<String, String> sysctl : new java.util.TreeMap<>(SYSCTLS).entrySet()) {
            String value = readIfPresent(Path.of(sysctl.getValue()));
            // Absent (br_netfilter not loaded) is left out: that absence is itself the fact.
            if (value != null) {
                sysctls.put(sysctl.getKey(), FactsParsers.sysctlValue(value));
            }
        }
        return new NodeFacts.Kernel(Files.isReadable(modules) ? FactsParsers.modules(Files.readString(modules)) : List.of(),
                sysctls);
    }

    @Override
    public List<NodeFacts.FoundCertificate> certificates() {
        return certificates.describe();
    }

    private static Path cpuThermalZone() throws IOException {
        Path base = Path.of("/sys/class/thermal");
        if (!Files.isDirectory(base)) {
            return null;
        }
        Path first = null;
        try (DirectoryStream<Path> zones = Files.newDirectoryStream(base, "thermal_zone*")) {
            List<Path> sorted = new ArrayList<>();
            zones.forEach(sorted::add);
            Collections.sort(sorted);
            for (Path zone : sorted) {
                if (!Files.isReadable(zone.resolve("temp"))) {
                    continue;
                }
                String type = String.valueOf(readIfPresent(zone.resolve("type")));
                if (type.contains("cpu") || type.contains("x86_pkg")) {
                    return zone;
                }
                if (first == null) {
                    first = zone;
                }
            }
        }
        return first;
    }

    private static List<String> addresses(String nic) {
        try {
            NetworkInterface iface = NetworkInterface.getByName(nic);
            if (iface == null) {
                return List.of();
            }
            return Collections.list(iface.getInetAddresses()).stream()
                    .map(InetAddress::getHostAddress)
                    .map(a -> a.replaceFirst("%.*$", ""))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Parsed by the same readers as the node_exporter-compatible metrics, so the two cannot disagree. */
    @Override
    public NodeFacts.Counters counters() throws IOException {
        return net.goldentooth.agent.health.KernelCounters.totals(
                net.goldentooth.agent.health.KernelCounters.parseStat(read("/proc/stat")),
                net.goldentooth.agent.health.KernelCounters.parseNetDev(read("/proc/net/dev")));
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    private static String readIfPresent(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
