package net.goldentooth.storage.service;

import java.util.List;

/** A node that is not a replication target. */
public final class UnknownTargetException extends RuntimeException {

    private final List<String> targets;

    public UnknownTargetException(String node, List<String> targets) {
        super("'" + node + "' is not a replication target");
        this.targets = List.copyOf(targets);
    }

    public List<String> targets() {
        return targets;
    }
}
