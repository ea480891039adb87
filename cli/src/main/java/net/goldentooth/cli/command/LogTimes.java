package net.goldentooth.cli.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times {@code goldentooth logs --since/--until} takes, as journalctl does: {@code now},
 * {@code today}, {@code yesterday}, relative ({@code -1h}, {@code 1h ago}, {@code 30m}, {@code 2d};
 * {@code +5m} is ahead), a date and time in the local zone ({@code 2026-12-07 14:00[:05]},
 * {@code 2026-12-07}, {@code 14:00} today) or an ISO-8601 instant. Pure: given the clock.
 */
final class LogTimes {

    private static final Pattern RELATIVE = Pattern.compile("([+-]?)(\\d+)\\s*(s|sec|m|min|h|d|w)(?:\\s+ago)?");

    static Instant parse(String text, Clock clock) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        ZonedDateTime now = ZonedDateTime.now(clock);
        switch (value) {
            case "now":
                return clock.instant();
            case "today":
                return now.toLocalDate().atStartOfDay(clock.getZone()).toInstant();
            case "yesterday":
                return now.toLocalDate().minusDays(1).atStartOfDay(clock.getZone()).toInstant();
            default:
                break;
        }
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(2));
            Duration unit = switch (relative.group(3)) {
                case "s", "sec" -> Duration.ofSeconds(1);
                case "m", "min" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            Duration offset = unit.multipliedBy(amount);
            return relative.group(1).equals("+") ? clock.instant().plus(offset) : clock.instant().minus(offset);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException ignored) {
            // not an instant; try the local forms
        }
        try {
            return LocalDateTime.parse(value.replace(' ', 'T')).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a local date and time
        }
        try {
            return LocalDate.parse(value).atStartOfDay(clock.getZone()).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        try {
            return LocalTime.parse(value).atDate(now.toLocalDate()).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a time either
        }
        throw new IllegalArgumentException("'" + text + "' is not a time: use e.g. -1h, '30m ago', today, yesterday, "
                + "'2026-12-07 14:00', 14:00 or 2026-12-07T14:00:00Z");
    }

    private LogTimes() {
    }
}
