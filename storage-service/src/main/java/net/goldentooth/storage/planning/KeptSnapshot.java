package net.goldentooth.storage.planning;

/** A snapshot that retention would destroy but the plan keeps, and why. */
public record KeptSnapshot(String name, String reason) {
}
