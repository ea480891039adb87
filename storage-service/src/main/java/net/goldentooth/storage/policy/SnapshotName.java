package net.goldentooth.storage.policy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sanoid's snapshot name, {@code autosnap_YYYY-MM-DD_HH:MM:SS_<period>}, so that this service
 * takes over the snapshots an existing sanoid made (and sanoid could take over ours). Sanoid
 * writes the local time of the node; the zone is given.
 */
public record SnapshotName(LocalDateTime taken, Period period) {

    public static final String PREFIX = "autosnap_";
    private static final int STAMP_LENGTH = "YYYY-MM-DD_HH:MM:SS".length();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH:mm:ss");
    private static final Pattern NAME = Pattern.compile(
            "autosnap_(\\d{4}-\\d{2}-\\d{2}_\\d{2}:\\d{2}:\\d{2})_(frequently|hourly|daily|weekly|monthly|yearly)");

    public static SnapshotName of(Instant instant, ZoneId zone, Period period) {
        return new SnapshotName(LocalDateTime.ofInstant(instant, zone).withNano(0), period);
    }

    /** The part after {@code @}. */
    public String format() {
        return PREFIX + STAMP.format(taken) + "_" + period.key();
    }

    /**
     * The period of a sanoid snapshot name without parsing its time: planning asks this of
     * every snapshot, so it must stay cheap at 10,000 snapshots.
     */
    public static Optional<Period> periodOf(String name) {
        int underscore = name.lastIndexOf('_');
        if (!name.startsWith(PREFIX) || underscore != PREFIX.length() + STAMP_LENGTH) {
            return Optional.empty();
        }
        return Period.fromKey(name.substring(underscore + 1));
    }

    /** A sanoid snapshot name (the part after {@code @}), or empty for any other name. */
    public static Optional<SnapshotName> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SnapshotName(LocalDateTime.parse(m.group(1), STAMP),
                    Period.fromKey(m.group(2)).orElseThrow()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
