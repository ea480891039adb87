package net.goldentooth.storage.planning;

import java.time.Instant;
import java.util.List;

/**
 * What one run does to one dataset.
 *
 * @param take    snapshot names to create (the part after {@code @}), one per due period
 * @param destroy snapshot names to destroy, oldest first within a period
 * @param kept    snapshots retention would have destroyed, kept to protect a replication base
 */
public record SnapshotPlan(String dataset, Instant plannedAt, List<String> take, List<String> destroy,
                           List<KeptSnapshot> kept) {

    public SnapshotPlan {
        take = List.copyOf(take);
        destroy = List.copyOf(destroy);
        kept = List.copyOf(kept);
    }

    public boolean isEmpty() {
        return take.isEmpty() && destroy.isEmpty();
    }
}
