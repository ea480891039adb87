package net.goldentooth.storage.service;

import java.util.List;
import net.goldentooth.storage.errors.StorageError;
import net.goldentooth.storage.errors.StorageException;

/** A node that is not a replication target. */
public final class UnknownTargetException extends StorageException {

    private final String node;
    private final List<String> targets;

    public UnknownTargetException(String node, List<String> targets) {
        super("'" + node + "' is not a replication target");
        this.node = node;
        this.targets = List.copyOf(targets);
    }

    public List<String> targets() {
        return targets;
    }

    @Override
    public StorageError.UnknownTarget error() {
        return new StorageError.UnknownTarget(node, targets);
    }
}
