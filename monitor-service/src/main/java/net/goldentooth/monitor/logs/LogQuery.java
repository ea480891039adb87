package net.goldentooth.monitor.logs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.events.logs.LogPriority;

/**
 * What {@code goldentooth logs} asks for, as journalctl would: nodes, units ({@code -u}), the least
 * important priority ({@code -p}), a time range, a regular expression on the message ({@code --grep},
 * case-insensitive when it has no upper-case letter, as journalctl's) and the last {@code n} lines.
 * A unit matches a line's unit with or without {@code .service}, or, for a line without a unit (a
 * process outside systemd, the kernel), its syslog identifier. Pure.
 */
public record LogQuery(NodeSelection nodes, Set<String> units, int maxPriority, Instant since, Instant until,
                       Pattern grep, Integer lastN) {

    /** Parses the REST parameters; every bad one is an {@link IllegalArgumentException} naming it. */
    public static LogQuery parse(NodeSelection nodes, List<String> units, String priority, String since, String until,
                                 String grep, Integer n) {
        int maxPriority = priority == null || priority.isBlank() ? 7 : parameter("priority", () -> LogPriority.parse(priority));
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("query parameter 'until' (" + to + ") is before 'since' (" + from + ")");
        }
        Pattern regex = null;
        if (grep != null && !grep.isEmpty()) {
            boolean smartCase = grep.equals(grep.toLowerCase(Locale.ROOT));
            try {
                regex = Pattern.compile(grep, smartCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("query parameter 'grep': not a regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        if (n != null && n < 0) {
            throw new IllegalArgumentException("query parameter 'n' must be 0 or more, was " + n);
        }
        Set<String> unitNames = units == null ? Set.of() : units.stream().filter(u -> !u.isBlank())
                .map(LogQuery::unitName).collect(Collectors.toUnmodifiableSet());
        return new LogQuery(nodes, unitNames, maxPriority, from, to, regex, n);
    }

    public boolean matches(LogEntry entry) {
        if (!nodes.matches(entry.node()) || entry.priority() > maxPriority) {
            return false;
        }
        if (!units.isEmpty()) {
            String unit = entry.unit() != null ? entry.unit() : entry.identifier();
            if (unit == null || !units.contains(unitName(unit))) {
                return false;
            }
        }
        Instant time = entry.time();
        if (since != null && (time == null || time.isBefore(since))) {
            return false;
        }
        if (until != null && (time == null || time.isAfter(until))) {
            return false;
        }
        return grep == null || (entry.message() != null && grep.matcher(entry.message()).find());
    }

    private static String unitName(String unit) {
        return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("query parameter '" + name + "': '" + value
                    + "' is not an ISO-8601 instant such as 2026-12-07T02:00:00Z");
        }
    }

    private static int parameter(String name, java.util.function.IntSupplier parse) {
        try {
            return parse.getAsInt();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("query parameter '" + name + "': " + e.getMessage());
        }
    }
}
