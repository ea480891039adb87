package net.goldentooth.cli.render;

import java.time.Duration;
import java.time.Instant;

/** Short human ages: {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}. */
final class Ages {

    static String since(Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(then, now).getSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    private Ages() {
    }
}
