package net.goldentooth.cli.render;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.goldentooth.events.logs.LogEntry;

/**
 * Log lines as journalctl's short-precise format shows them, tagged by host:
 * {@code Dec 07 14:00:05.123456 bettley sshd[812]: message}. The unit or identifier stands where
 * journalctl puts the identifier, so lines of several nodes and units read together.
 */
public final class LogLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSSSSS", Locale.ROOT);

    public static String format(LogEntry entry, ZoneId zone) {
        StringBuilder line = new StringBuilder(80 + (entry.message() == null ? 0 : entry.message().length()));
        Instant time = entry.time();
        line.append(time == null ? "-" : TIME.format(time.atZone(zone))).append(' ').append(entry.node()).append(' ');
        String name = entry.identifier() != null ? entry.identifier() : entry.unit() != null ? entry.unit() : "-";
        line.append(name);
        if (entry.pid() != null) {
            line.append('[').append(entry.pid()).append(']');
        }
        line.append(": ").append(entry.message() == null ? "" : entry.message());
        if (entry.truncated() != null) {
            line.append(" [truncated: ").append(entry.truncated()).append(" bytes]");
        }
        return line.toString();
    }

    public static void print(Iterable<LogEntry> entries, ZoneId zone, PrintStream out) {
        for (LogEntry entry : entries) {
            out.println(format(entry, zone));
        }
        out.flush();
    }

    private LogLines() {
    }
}
