package net.goldentooth.storage.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * One snapshot of a dataset as ZFS reports it.
 *
 * @param name    the part after {@code @}
 * @param created ZFS's {@code creation} property; retention ages by this, as sanoid does, not by the name
 */
public record Snapshot(String name, Instant created) {

    /** The sanoid period of an {@code autosnap_} snapshot; other snapshots are never pruned. */
    public Optional<Period> period() {
        return SnapshotName.periodOf(name);
    }
}
