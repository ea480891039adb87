package net.goldentooth.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What Linux says about a process: {@code /proc/<pid>/status}, {@code stat} and {@code fd}, and a JVM's heap via jcmd. */
final class ProcStats {

    /** USER_HZ: the unit of utime and stime in /proc/pid/stat; 100 on every Linux this runs on (Debian amd64, arm64). */
    static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private static final Pattern HEAP_USED = Pattern.compile(
            "(?:def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap)\\s+total \\d+K, used (\\d+)K");

    private ProcStats() {
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    static long rssBytes(long pid) {
        return statusValue(pid, "VmRSS:") * 1024;
    }

    /** Peak resident set size in bytes ({@code VmHWM}). */
    static long peakRssBytes(long pid) {
        return statusValue(pid, "VmHWM:") * 1024;
    }

    static long threads(long pid) {
        return statusValue(pid, "Threads:");
    }

    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** utime + stime in seconds: the CPU the process itself has used. */
    static double cpuSeconds(long pid) {
        return statTicks(pid, 11, 12) / CLOCK_TICKS_PER_SECOND;
    }

    /** utime + stime + cutime + cstime in seconds: the process and the children it has waited for (its commands). */
    static double cpuSecondsWithChildren(long pid) {
        return statTicks(pid, 11, 14) / CLOCK_TICKS_PER_SECOND;
    }

    /** The sum of {@code /proc/<pid>/stat} fields {@code from..to}, counted after the command name. */
    private static long statTicks(long pid, int from, int to) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int i = from; i <= to; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Heap in use right after a full collection, in bytes: {@code GC.run}, then the generations'
     * "used" from {@code GC.heap_info}, through the attach API from this JVM (a {@code jcmd}
     * process per call would cost a JVM start each). Forcing a GC perturbs the process a little;
     * it is the only honest "heap after GC" without a GC log.
     */
    static Optional<Long> heapAfterGcBytes(long pid) {
        jcmd(pid, "GC.run");
        Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long total = 0;
        boolean found = false;
        while (used.find()) {
            total += Long.parseLong(used.group(1)) * 1024;
            found = true;
        }
        return found ? Optional.of(total) : Optional.empty();
    }

    /** A diagnostic command run in another JVM, as {@code jcmd <pid> <command>} does. */
    private static String jcmd(long pid, String command) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            // HotSpot's executeJCmd is not public API: reached by reflection, with the package exported
            // to the bench by the script (--add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED).
            try (InputStream out = (InputStream) vm.getClass().getMethod("executeJCmd", String.class)
                    .invoke(vm, command)) {
                return new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                vm.detach();
            }
        } catch (IOException | AttachNotSupportedException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + command + " in " + pid + ": " + e.getMessage(), e);
        }
    }

    private static long statusValue(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
