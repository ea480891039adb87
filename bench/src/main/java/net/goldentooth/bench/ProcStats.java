package net.goldentooth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Heap in use right after a full collection, in bytes: {@code jcmd GC.run}, then the generations'
     * "used" from {@code GC.heap_info}. Forcing a GC perturbs the process a little; it is the only
     * honest "heap after GC" without a GC log.
     */
    static Optional<Long> heapAfterGcBytes(long pid) {
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        String info = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"));
        Matcher used = HEAP_USED.matcher(info);
        long total = 0;
        boolean found = false;
        while (used.find()) {
            total += Long.parseLong(used.group(1)) * 1024;
            found = true;
        }
        return found ? Optional.of(total) : Optional.empty();
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

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " failed (jcmd is in the JDK)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
