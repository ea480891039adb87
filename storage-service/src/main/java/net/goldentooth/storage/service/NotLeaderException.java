package net.goldentooth.storage.service;

import net.goldentooth.storage.errors.StorageError;
import net.goldentooth.storage.errors.StorageException;

/** A run asked of a standby instance: only the elected planner snapshots, prunes and replicates. */
public final class NotLeaderException extends StorageException {

    private final StorageError.NotLeader error;

    public NotLeaderException(String group) {
        super("not the leader of " + group + ": a standby does not run snapshots or replication");
        this.error = new StorageError.NotLeader(group);
    }

    @Override
    public StorageError.NotLeader error() {
        return error;
    }
}
