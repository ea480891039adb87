package net.goldentooth.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.goldentooth.events.facts.NodeFacts;

/**
 * Pure parsers for the kernel's cumulative counters: {@code /proc/stat} (CPU time per CPU and mode),
 * {@code /proc/net/dev} (per-interface traffic) and {@code /proc/diskstats} (per-disk I/O). Values are
 * kept in the kernel's units (ticks, bytes, sectors, milliseconds); {@link KernelCounterMetrics}
 * converts them to node_exporter's. Malformed text is an {@link IllegalArgumentException} naming
 * the file and the line.
 */
public final class KernelCounters {

    private KernelCounters() {
    }

    /** Ticks per second of /proc/stat: USER_HZ is 100 on every Linux architecture, which node_exporter assumes too. */
    static final double USER_HZ = 100.0;

    /** The CPU modes of a {@code /proc/stat} cpu line, in the kernel's order. */
    public static final List<String> CPU_MODES =
            List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice");

    /** The columns of {@code /proc/net/dev}, receive then transmit, as node_exporter names them. */
    public static final List<String> NET_RECEIVE =
            List.of("bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast");
    public static final List<String> NET_TRANSMIT =
            List.of("bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed");

    /**
     * Disks node_exporter leaves out by default: RAM and loop devices, floppies, and partitions of
     * SCSI, virtio, Xen and NVMe disks (their I/O is already counted on the whole disk).
     */
    public static final Pattern DISK_EXCLUDE = Pattern.compile("^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$");

    /** @param ticks by {@link #CPU_MODES}; a kernel that prints fewer modes leaves the rest 0 */
    public record Cpu(String cpu, long[] ticks) {
    }

    /** @param receive by {@link #NET_RECEIVE}, {@code transmit} by {@link #NET_TRANSMIT} */
    public record NetDevice(String device, long[] receive, long[] transmit) {
    }

    /**
     * The fields after the device name of a {@code /proc/diskstats} line (Documentation/admin-guide/iostats):
     * reads completed, merged, sectors read, ms reading, writes completed, merged, sectors written, ms
     * writing, I/Os in progress, ms doing I/O, weighted ms; then, from Linux 4.18, discards completed,
     * merged, sectors discarded, ms discarding; from 5.5, flushes completed and ms flushing.
     */
    public record Disk(String device, long[] fields) {
        public boolean has(int field) {
            return field < fields.length;
        }
    }

    /** The per-CPU lines of {@code /proc/stat} ({@code cpu0}, {@code cpu1}, ...), labelled "0", "1", .... */
    public static List<Cpu> parseStat(String text) {
        List<Cpu> cpus = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            String id = f[0].substring(3);
            if (id.isEmpty() || !id.chars().allMatch(Character::isDigit) || f.length < 5) {
                throw new IllegalArgumentException("/proc/stat: unreadable cpu line '" + line + "'");
            }
            long[] ticks = new long[CPU_MODES.size()];
            for (int i = 1; i < f.length && i <= ticks.length; i++) {
                ticks[i - 1] = number(f[i], "/proc/stat", line);
            }
            cpus.add(new Cpu(id, ticks));
        }
        return cpus;
    }

    /** Interfaces node_exporter leaves out by default as Debian ships it ({@code --collector.netdev.device-exclude=^lo$}). */
    public static final Pattern NET_EXCLUDE = Pattern.compile("^lo$");

    /** The interfaces of {@code /proc/net/dev} after its two header lines, but {@link #NET_EXCLUDE}. */
    public static List<NetDevice> parseNetDev(String text) {
        List<NetDevice> devices = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int l = 2; l < lines.length; l++) {
            String line = lines[l];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("/proc/net/dev: no ':' after the interface in '" + line + "'");
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < NET_RECEIVE.size() + NET_TRANSMIT.size()) {
                throw new IllegalArgumentException("/proc/net/dev: expected 16 counters in '" + line + "'");
            }
            long[] receive = new long[NET_RECEIVE.size()];
            long[] transmit = new long[NET_TRANSMIT.size()];
            for (int i = 0; i < receive.length; i++) {
                receive[i] = number(f[i], "/proc/net/dev", line);
                transmit[i] = number(f[receive.length + i], "/proc/net/dev", line);
            }
            String device = line.substring(0, colon).trim();
            if (!NET_EXCLUDE.matcher(device).matches()) {
                devices.add(new NetDevice(device, receive, transmit));
            }
        }
        return devices;
    }

    /** The disks of {@code /proc/diskstats} that node_exporter reports ({@link #DISK_EXCLUDE} left out). */
    public static List<Disk> parseDiskstats(String text) {
        List<Disk> disks = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                throw new IllegalArgumentException("/proc/diskstats: expected at least 14 fields in '" + line + "'");
            }
            String device = f[2];
            if (DISK_EXCLUDE.matcher(device).matches()) {
                continue;
            }
            long[] fields = new long[f.length - 3];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = number(f[i + 3], "/proc/diskstats", line);
            }
            disks.add(new Disk(device, fields));
        }
        return disks;
    }

    /** The indexes in {@link #CPU_MODES} of the modes that are not busy: idle and iowait. */
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    /** guest and guest_nice: already counted inside user and nice by the kernel. */
    private static final int GUEST = 8;

    /**
     * The node's totals for its facts: CPU seconds busy and in all (summed over CPUs, guest time not
     * counted twice) and bytes received and sent by every interface the parsers keep.
     */
    public static NodeFacts.Counters totals(List<Cpu> cpus, List<NetDevice> devices) {
        long busy = 0;
        long all = 0;
        for (Cpu cpu : cpus) {
            for (int mode = 0; mode < GUEST; mode++) {
                all += cpu.ticks()[mode];
                if (mode != IDLE && mode != IOWAIT) {
                    busy += cpu.ticks()[mode];
                }
            }
        }
        long received = 0;
        long sent = 0;
        for (NetDevice device : devices) {
            received += device.receive()[0];
            sent += device.transmit()[0];
        }
        return new NodeFacts.Counters(busy / USER_HZ, all / USER_HZ,
                received, sent);
    }

    private static long number(String text, String file, String line) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": '" + text + "' is not a counter in '" + line + "'");
        }
    }
}
