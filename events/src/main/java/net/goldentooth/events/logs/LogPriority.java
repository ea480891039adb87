package net.goldentooth.events.logs;

import java.util.List;
import java.util.Locale;

/** Syslog priorities as journalctl names them: 0 {@code emerg} to 7 {@code debug}. */
public final class LogPriority {

    /** The names by number, as {@code journalctl -p} accepts them. */
    public static final List<String> NAMES = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    /**
     * A priority given as a number 0-7 or a name ({@code err}, {@code warning}...; {@code error},
     * {@code warn}, {@code crit} and {@code emergency} too); anything else is an error naming the valid values.
     */
    public static int parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '7') {
            return value.charAt(0) - '0';
        }
        int index = NAMES.indexOf(value);
        if (index >= 0) {
            return index;
        }
        return switch (value) {
            case "emergency", "panic" -> 0;
            case "critical" -> 2;
            case "error" -> 3;
            case "warn" -> 4;
            default -> throw new IllegalArgumentException("priority '" + text + "' is not one of 0-7 or "
                    + String.join(", ", NAMES));
        };
    }

    /** The name of a priority 0-7. */
    public static String name(int priority) {
        return priority >= 0 && priority < NAMES.size() ? NAMES.get(priority) : Integer.toString(priority);
    }

    private LogPriority() {
    }
}
