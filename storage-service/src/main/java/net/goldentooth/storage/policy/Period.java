package net.goldentooth.storage.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * Sanoid's snapshot periods. The suffix of a snapshot name and the key in {@code sanoid.conf}
 * are the lower-case name ({@code hourly}).
 */
public enum Period {
    YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, FREQUENTLY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Period> fromKey(String key) {
        for (Period period : values()) {
            if (period.key().equals(key)) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    /**
     * The age unit of sanoid's retention ("daily = 30" keeps no daily older than 30 of these),
     * exactly as sanoid counts it: a month is 31 days and a year 365.25 days.
     */
    public long pruneSeconds(int frequentPeriodMinutes) {
        return switch (this) {
            case FREQUENTLY -> 60L * frequentPeriodMinutes;
            case HOURLY -> 3_600L;
            case DAILY -> 86_400L;
            case WEEKLY -> 7 * 86_400L;
            case MONTHLY -> 31 * 86_400L;
            case YEARLY -> 31_557_600L;
        };
    }
}
