package net.goldentooth.storage.messaging;

import net.goldentooth.events.Topics;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.kafka.EventPublisher;

/** Publishes run outcomes on the compacted storage topics. */
public final class StoragePublisher {

    private final EventPublisher publisher;

    public StoragePublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void snapshotRun(SnapshotRun run) {
        publisher.publish(Topics.STORAGE_SNAPSHOTS, SnapshotRun.key(run.node(), run.dataset()), run);
    }

    public void replication(ReplicationStatus status) {
        publisher.publish(Topics.STORAGE_REPLICATION, ReplicationStatus.key(status.dataset(), status.target()), status);
    }
}
