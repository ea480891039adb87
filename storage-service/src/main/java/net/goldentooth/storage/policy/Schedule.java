package net.goldentooth.storage.policy;

/**
 * When in its period a snapshot is preferred, sanoid's {@code *_hour}/{@code *_min}/... keys.
 * Sanoid takes a snapshot of a period once the newest of that period is older than the latest
 * preferred time.
 */
public record Schedule(int frequentPeriodMinutes,
                       int hourlyMin,
                       int dailyHour, int dailyMin,
                       int weeklyWday, int weeklyHour, int weeklyMin,
                       int monthlyMday, int monthlyHour, int monthlyMin,
                       int yearlyMon, int yearlyMday, int yearlyHour, int yearlyMin) {

    /** Sanoid's own defaults ({@code /usr/share/sanoid/sanoid.defaults.conf}). */
    public static final Schedule SANOID_DEFAULTS = new Schedule(15, 0, 23, 59, 1, 23, 30, 1, 0, 0, 1, 1, 0, 0);
}
