package net.goldentooth.storage.zfs;

import java.time.Instant;
import net.goldentooth.storage.policy.Snapshot;

/**
 * A snapshot as {@code zfs get} lists it. The guid tells two snapshots of the same name apart:
 * a target whose snapshot has the source's name but another guid has diverged.
 *
 * @param name the part after {@code @}
 */
public record ZfsSnapshot(String name, Instant created, String guid) {

    public Snapshot snapshot() {
        return new Snapshot(name, created);
    }
}
