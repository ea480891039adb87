package net.goldentooth.monitor.facts;

/** A section of a node's facts that was missing or held values no real node can have. */
public record DataError(String node, String section, String reason) {
}
