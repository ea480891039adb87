package net.goldentooth.events.storage;

/** A snapshot past retention that a run keeps, and why (e.g. it is a replication base). */
public record KeptSnapshot(String name, String reason) {
}
