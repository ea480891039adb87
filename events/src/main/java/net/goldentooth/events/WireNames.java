package net.goldentooth.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum constants travel in lower case with hyphens ({@code TIMED_OUT} is {@code "timed-out"}),
 * except {@link net.goldentooth.events.job.JobKind} which keeps the CLI's underscore spelling.
 */
public final class WireNames {

    public static String of(Enum<?> value) {
        String lower = value.name().toLowerCase(Locale.ROOT);
        return value.getDeclaringClass().getSimpleName().equals("JobKind") ? lower : lower.replace('_', '-');
    }

    /** Parses a wire name; an unknown name is an error that lists the known ones. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(value)) {
                return constant;
            }
        }
        String known = Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown " + type.getSimpleName() + " '" + value + "', expected one of: " + known);
    }

    private WireNames() {
    }
}
