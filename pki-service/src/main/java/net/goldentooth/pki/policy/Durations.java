package net.goldentooth.pki.policy;

import java.time.Duration;

/** Durations as people read them: {@code 5d 3h}, {@code 2h 10m}, {@code 45s}. */
public final class Durations {

    public static String human(Duration duration) {
        boolean negative = duration.isNegative();
        Duration d = duration.abs();
        String text;
        if (d.toDays() > 0) {
            text = d.toDays() + "d " + d.toHoursPart() + "h";
        } else if (d.toHours() > 0) {
            text = d.toHours() + "h " + d.toMinutesPart() + "m";
        } else if (d.toMinutes() > 0) {
            text = d.toMinutes() + "m " + d.toSecondsPart() + "s";
        } else {
            text = d.toSeconds() + "s";
        }
        return negative ? "-" + text : text;
    }

    private Durations() {
    }
}
