package net.goldentooth.monitor.rules;

/**
 * A condition over log lines, the key of {@link Observations#logMatches()}. Its own type so that
 * the observations need not know the conditions ({@link Condition} evaluates over
 * {@link Observations}, not the other way round).
 */
public interface LogCondition {
}
