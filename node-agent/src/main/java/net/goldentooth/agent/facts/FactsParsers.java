package net.goldentooth.agent.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.events.facts.NodeFacts;

/**
 * Pure parsers for the text the kernel and a few tools print. Each takes the text as a string so
 * that it is tested against sample files; reading the files and running the tools is the
 * collectors' job. Malformed input is a {@link FactsParseException} naming what was wrong.
 */
public final class FactsParsers {

    /** File systems that are not storage: never worth a statfs, and some (autofs) block on one. */
    static final Set<String> PSEUDO_FILESYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "tmpfs",
            "securityfs", "cgroup", "cgroup2", "pstore", "bpf", "debugfs", "tracefs", "configfs", "fusectl",
            "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "overlay", "squashfs",
            "efivarfs", "ramfs", "fuse.gvfsd-fuse", "fuse.portal", "nfsd", "selinuxfs", "rootfs");

    /** Bits of {@code vcgencmd get_throttled}, as the Raspberry Pi firmware documents them. */
    private static final Map<Integer, String> THROTTLE_BITS = throttleBits();

    public record LoadAverage(double load1, double load5, double load15) {
    }

    public record MountEntry(String device, String mountPoint, String type) {
    }

    public record DefaultRoute(String nic, String gateway) {
    }

    /** {@code /proc/loadavg}: "0.52 0.58 0.59 1/467 12345". */
    public static LoadAverage loadavg(String text) {
        String[] fields = fields(text, 3, "/proc/loadavg");
        return new LoadAverage(number(fields[0], "/proc/loadavg"), number(fields[1], "/proc/loadavg"),
                number(fields[2], "/proc/loadavg"));
    }

    /** {@code /proc/uptime}: seconds since boot, the first field. */
    public static long uptimeSeconds(String text) {
        return (long) number(fields(text, 1, "/proc/uptime")[0], "/proc/uptime");
    }

    /** {@code /proc/meminfo}, values in kB, reported in bytes. */
    public static NodeFacts.Memory meminfo(String text) {
        Map<String, Long> kb = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            try {
                kb.put(line.substring(0, colon).trim(), Long.parseLong(value[0]));
            } catch (NumberFormatException e) {
                throw new FactsParseException("/proc/meminfo line is not a number: " + line);
            }
        }
        return new NodeFacts.Memory(kbField(kb, "MemTotal") * 1024, kbField(kb, "MemAvailable") * 1024,
                kbField(kb, "SwapTotal") * 1024, kbField(kb, "SwapFree") * 1024);
    }

    /** {@code /proc/mounts}, without pseudo file systems; octal escapes ({@code \040}) decoded. */
    public static List<MountEntry> mounts(String text) {
        List<MountEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                throw new FactsParseException("/proc/mounts line has fewer than 3 fields: " + line);
            }
            if (!PSEUDO_FILESYSTEMS.contains(f[2])) {
                out.add(new MountEntry(unescapeOctal(f[0]), unescapeOctal(f[1]), f[2]));
            }
        }
        return out;
    }

    /**
     * {@code /proc/net/route}: the IPv4 route with destination and mask 0 and the lowest metric
     * (the one the kernel uses; the seed's Pis with both eth0 and wlan0 had two), with its gateway
     * (stored little-endian hex) as a dotted quad. Empty when there is no default route.
     */
    public static Optional<DefaultRoute> defaultRoute(String text) {
        String[] lines = text.split("\n");
        DefaultRoute best = null;
        long bestMetric = Long.MAX_VALUE;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8 || !"00000000".equals(f[1]) || !"00000000".equals(f[7])) {
                continue;
            }
            long metric = (long) number(f[6], "/proc/net/route metric");
            if (metric < bestMetric) {
                bestMetric = metric;
                best = new DefaultRoute(f[0], littleEndianIpv4(f[2]));
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code /etc/os-release}: PRETTY_NAME, else NAME and VERSION, unquoted. */
    public static String osRelease(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
            }
        }
        if (values.containsKey("PRETTY_NAME")) {
            return values.get("PRETTY_NAME");
        }
        if (values.containsKey("NAME")) {
            return (values.get("NAME") + " " + values.getOrDefault("VERSION", "")).trim();
        }
        throw new FactsParseException("/etc/os-release has neither PRETTY_NAME nor NAME");
    }

    /**
     * The architecture as {@code uname -m} names it: the JVM says {@code amd64} where the kernel
     * (and Debian's multiarch paths the seed's playbooks use) say {@code x86_64}.
     */
    public static String machineArch(String jvmArch) {
        return switch (jvmArch) {
            case "amd64" -> "x86_64";
            case "x86" -> "i686";
            default -> jvmArch;
        };
    }

    /** {@code /proc/device-tree/model}: NUL-terminated; null when blank. */
    public static String deviceTreeModel(String text) {
        String model = text.replace("\0", "").trim();
        return model.isEmpty() ? null : model;
    }

    /** {@code thermal_zone*}/temp: millidegrees Celsius. */
    public static double temperatureCelsius(String text) {
        return number(fields(text, 1, "thermal zone temp")[0], "thermal zone temp") / 1000.0;
    }

    /** {@code scaling_cur_freq}: kHz. */
    public static long frequencyKhz(String text) {
        try {
            return Long.parseLong(fields(text, 1, "scaling_cur_freq")[0]);
        } catch (NumberFormatException e) {
            throw new FactsParseException("scaling_cur_freq is not a number: " + text.trim());
        }
    }

    /** {@code vcgencmd get_throttled}: "throttled=0x50005" → the raw value. */
    public static String throttledRaw(String text) {
        String trimmed = text.trim();
        int eq = trimmed.indexOf('=');
        if (!trimmed.startsWith("throttled=") || eq < 0) {
            throw new FactsParseException("vcgencmd get_throttled printed no 'throttled=': " + trimmed);
        }
        return trimmed.substring(eq + 1);
    }

    /** The names of the flags set in a {@code get_throttled} value, lowest bit first. */
    public static List<String> throttleFlags(String raw) {
        long bits;
        try {
            bits = Long.decode(raw);
        } catch (NumberFormatException e) {
            throw new FactsParseException("throttled value is not a number: " + raw);
        }
        List<String> flags = new ArrayList<>();
        THROTTLE_BITS.forEach((bit, name) -> {
            if ((bits & (1L << bit)) != 0) {
                flags.add(name);
            }
        });
        return flags;
    }

    /** {@code /proc/modules}: the first field of each line, sorted so equal sets compare equal. */
    public static List<String> modules(String text) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        names.sort(null);
        return names;
    }

    /** The states {@code systemctl is-active} prints (systemd's ActiveState values). */
    static final Set<String> UNIT_STATES = Set.of("active", "reloading", "inactive", "failed", "activating",
            "deactivating", "maintenance", "refreshing", "unknown");

    /**
     * {@code systemctl is-active a b c}: one state per line, in the order asked.
     *
     * @throws FactsParseException when the lines are not one known state per unit asked for
     */
    public static Map<String, String> unitStates(List<String> units, String text) {
        List<String> lines = text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        if (lines.size() != units.size()) {
            throw new FactsParseException("systemctl is-active printed " + lines.size() + " states for "
                    + units.size() + " units");
        }
        for (String line : lines) {
            if (!UNIT_STATES.contains(line)) {
                throw new FactsParseException("systemctl is-active printed '" + line + "', not a unit state");
            }
        }
        Map<String, String> states = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            states.put(units.get(i), lines.get(i));
        }
        return states;
    }

    /** {@code timedatectl show}: NTPSynchronized=yes|no; null when absent. */
    public static Boolean timedatectlSynced(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("NTPSynchronized=")) {
                return "yes".equals(line.substring("NTPSynchronized=".length()).trim());
            }
        }
        return null;
    }

    /** What {@code chronyc tracking} says: synchronised (leap status normal) and the offset in seconds. */
    public record ChronyTracking(boolean synced, Double offsetSeconds) {
    }

    /**
     * {@code chronyc tracking}: "System time : 0.000012 seconds fast of NTP time" (fast means the
     * local clock is ahead, a positive offset) and "Leap status : Normal".
     */
    public static ChronyTracking chronyTracking(String text) {
        Double offset = null;
        Boolean synced = null;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equals("System time")) {
                String[] f = value.split("\\s+");
                double seconds = number(f[0], "chronyc System time");
                offset = f.length > 2 && f[2].equals("slow") ? -seconds : seconds;
            } else if (name.equals("Leap status")) {
                synced = value.equals("Normal");
            }
        }
        if (synced == null) {
            throw new FactsParseException("chronyc tracking printed no 'Leap status'");
        }
        return new ChronyTracking(synced, offset);
    }

    /** A sysctl file's value, trimmed. */
    public static String sysctlValue(String text) {
        return text.trim();
    }

    private static String littleEndianIpv4(String hex) {
        try {
            long value = Long.parseLong(hex, 16);
            return String.format(Locale.ROOT, "%d.%d.%d.%d", value & 0xff, (value >> 8) & 0xff,
                    (value >> 16) & 0xff, (value >> 24) & 0xff);
        } catch (NumberFormatException e) {
            throw new FactsParseException("/proc/net/route gateway is not hex: " + hex);
        }
    }

    private static String unescapeOctal(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 4 <= field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static long kbField(Map<String, Long> kb, String name) {
        Long value = kb.get(name);
        if (value == null) {
            throw new FactsParseException("/proc/meminfo has no " + name);
        }
        return value;
    }

    private static String[] fields(String text, int atLeast, String what) {
        String[] f = text.trim().split("\\s+");
        if (text.isBlank() || f.length < atLeast) {
            throw new FactsParseException(what + " has fewer than " + atLeast + " fields: '" + text.trim() + "'");
        }
        return f;
    }

    private static double number(String value, String what) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new FactsParseException(what + ": '" + value + "' is not a number");
        }
    }

    private static Map<Integer, String> throttleBits() {
        Map<Integer, String> bits = new LinkedHashMap<>();
        bits.put(0, "under-voltage");
        bits.put(1, "arm-frequency-capped");
        bits.put(2, "throttled");
        bits.put(3, "soft-temperature-limit");
        bits.put(16, "under-voltage-occurred");
        bits.put(17, "arm-frequency-capping-occurred");
        bits.put(18, "throttling-occurred");
        bits.put(19, "soft-temperature-limit-occurred");
        return bits;
    }

    private FactsParsers() {
    }
}
