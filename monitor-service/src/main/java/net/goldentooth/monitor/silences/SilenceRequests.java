package net.goldentooth.monitor.silences;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.alert.SilenceMatcher;

/**
 * Turns a {@code POST /silences} body into a {@link Silence}, or the list of everything wrong with
 * it. Pure. The author is the authenticated caller, passed in, never read from the body.
 */
public final class SilenceRequests {

    /** What the dashboard and the CLI send. {@code duration} like {@code 2h}, {@code 90m}, {@code 1d} or ISO {@code PT2H}. */
    public record Body(List<SilenceMatcher> matchers, String duration, Instant startsAt, String comment) {
    }

    public static final Duration LONGEST = Duration.ofDays(30);
    public static final int MAX_COMMENT = 1000;
    public static final int MAX_MATCHERS = 20;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    /** The outcome: exactly one of {@code silence} and {@code errors} is meaningful. */
    public record Outcome(Silence silence, List<String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Outcome create(Body body, String author, Instant now) {
        List<String> errors = new ArrayList<>();
        if (body == null) {
            return new Outcome(null, List.of("a JSON body {matchers, duration, comment} is required"));
        }
        List<SilenceMatcher> matchers = body.matchers() == null ? List.of() : body.matchers();
        if (matchers.isEmpty()) {
            errors.add("matchers: at least one is required");
        } else if (matchers.size() > MAX_MATCHERS) {
            errors.add("matchers: at most " + MAX_MATCHERS);
        }
        boolean narrows = false;
        for (int i = 0; i < matchers.size() && matchers.size() <= MAX_MATCHERS; i++) {
            SilenceMatcher m = matchers.get(i);
            if (m == null) {
                errors.add("matchers[" + i + "]: null");
                continue;
            }
            if (m.name() == null || !LABEL_NAME.matcher(m.name()).matches()) {
                errors.add("matchers[" + i + "].name: '" + m.name() + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            if (m.value() == null) {
                errors.add("matchers[" + i + "].value: required");
                continue;
            }
            boolean matchesEmpty;
            if (m.isRegex()) {
                try {
                    matchesEmpty = Pattern.compile(m.value()).matcher("").matches();
                } catch (PatternSyntaxException e) {
                    errors.add("matchers[" + i + "].value: not a regular expression: " + e.getDescription());
                    continue;
                }
            } else {
                matchesEmpty = m.value().isEmpty();
            }
            // As Alertmanager: a silence must name something, or it would silence every alert.
            if (m.isEqual() != matchesEmpty) {
                narrows = true;
            }
        }
        if (!matchers.isEmpty() && matchers.size() <= MAX_MATCHERS && !narrows && errors.isEmpty()) {
            errors.add("matchers: at least one must not match the empty label value (else every alert is silenced)");
        }
        Duration duration = null;
        if (body.duration() == null || body.duration().isBlank()) {
            errors.add("duration: required, e.g. 2h, 90m, 1d");
        } else {
            try {
                duration = parseDuration(body.duration().strip());
                if (duration.isNegative() || duration.isZero()) {
                    errors.add("duration: must be positive");
                } else if (duration.compareTo(LONGEST) > 0) {
                    errors.add("duration: at most " + LONGEST.toDays() + "d");
                }
            } catch (IllegalArgumentException e) {
                errors.add("duration: '" + body.duration() + "' is not a duration (e.g. 2h, 90m, 1d, PT2H)");
            }
        }
        if (body.comment() == null || body.comment().isBlank()) {
            errors.add("comment: required (why is this silenced?)");
        } else if (body.comment().length() > MAX_COMMENT) {
            errors.add("comment: at most " + MAX_COMMENT + " characters");
        }
        Instant startsAt = body.startsAt() == null || body.startsAt().isBefore(now) ? now : body.startsAt();
        if (body.startsAt() != null && body.startsAt().isAfter(now.plus(LONGEST))) {
            errors.add("startsAt: at most " + LONGEST.toDays() + "d ahead");
        }
        if (!errors.isEmpty()) {
            return new Outcome(null, List.copyOf(errors));
        }
        Silence silence = new Silence(UUID.randomUUID().toString(), List.copyOf(matchers), startsAt,
                startsAt.plus(duration), body.comment().strip(), author, now, author, now, null);
        return new Outcome(silence, List.of());
    }

    /** {@code s} ended at {@code now} (unchanged if it already ended). */
    public static Silence expire(Silence s, String by, Instant now) {
        Instant ends = s.endsAt() != null && !s.endsAt().isAfter(now) ? s.endsAt() : now;
        Instant starts = s.startsAt() != null && s.startsAt().isAfter(ends) ? ends : s.startsAt();
        return new Silence(s.id(), s.matchers(), starts, ends, s.comment(), s.createdBy(), s.createdAt(), by,
                later(s.updatedAt(), now), null);
    }

    public static Silence delete(Silence s, String by, Instant now) {
        Silence ended = expire(s, by, now);
        return new Silence(ended.id(), ended.matchers(), ended.startsAt(), ended.endsAt(), ended.comment(),
                ended.createdBy(), ended.createdAt(), by, ended.updatedAt(), now);
    }

    /** A strictly later {@code updatedAt}, so readers keeping the newest record see the change even within one millisecond. */
    private static Instant later(Instant previous, Instant now) {
        return previous != null && !now.isAfter(previous) ? previous.plusMillis(1) : now;
    }

    static Duration parseDuration(String text) {
        var m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private SilenceRequests() {
    }
}
