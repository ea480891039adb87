package net.goldentooth.monitor.rules;

import java.util.Map;

/**
 * One subject for which a condition holds.
 *
 * @param subject labels naming the subject ({@code node}, {@code mountpoint}, {@code lineage}, ...)
 * @param value   the value that made the condition true, or null
 */
public record Match(Map<String, String> subject, Double value) {
}
