package net.goldentooth.agent.logs;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which lines are shipped: at least as important as {@code maxPriority} (lower numbers are more
 * important, as in syslog) and, when units are given, of one of them. Pure.
 */
public record LineFilter(Set<String> units, int maxPriority) {

    public static LineFilter of(Collection<String> units, int maxPriority) {
        return new LineFilter(units.stream().map(LineFilter::unitName).collect(Collectors.toUnmodifiableSet()),
                maxPriority);
    }

    /** Whether a line of this unit (null for none) and priority is shipped. */
    public boolean accepts(String unit, int priority) {
        if (priority > maxPriority) {
            return false;
        }
        return units.isEmpty() || (unit != null && units.contains(unitName(unit)));
    }

    /** A unit's name without its {@code .service} suffix, so {@code sshd} and {@code sshd.service} are one. */
    public static String unitName(String unit) {
        return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }
}
