package net.goldentooth.events.alert;

/**
 * One condition of a silence on an alert's labels, in Alertmanager's spelling: {@code isEqual}
 * false negates, {@code isRegex} true makes {@code value} a regular expression matched against the
 * whole label value (an absent label counts as the empty string, as in Alertmanager).
 *
 * @param name    label name, e.g. {@code alertname} or {@code node}
 * @param value   the value, or the regular expression when {@code isRegex}
 */
public record SilenceMatcher(String name, String value, boolean isRegex, boolean isEqual) {
}
