package net.goldentooth.storage.replication;

import java.util.List;
import net.goldentooth.storage.zfs.ZfsSnapshot;

/** What one replication run must do for a dataset × target pair, decided from the two listings. */
public sealed interface ReplicationDecision {

    /** The source has no snapshot yet: nothing can be sent. */
    record NothingToSend() implements ReplicationDecision {
    }

    /** The target holds the source's newest snapshot. */
    record UpToDate(ZfsSnapshot common) implements ReplicationDecision {
    }

    /**
     * Send from {@code common} (null: the target holds nothing, so {@code first} is sent whole)
     * to {@code latest}, every snapshot in between included.
     *
     * @param behind source snapshots newer than the common base
     */
    record Send(ZfsSnapshot common, ZfsSnapshot first, ZfsSnapshot latest, int behind) implements ReplicationDecision {
    }

    /**
     * The target's newest snapshot is not on the source (or has another guid): sending would
     * need a rollback that destroys the target's own data, so replication stops for the pair.
     *
     * @param common the newest snapshot the two still share, if any (for the status)
     */
    record Diverged(String reason, ZfsSnapshot common, int behind) implements ReplicationDecision {
    }

    /** Decides from the source and target listings, each in creation order. */
    static ReplicationDecision decide(List<ZfsSnapshot> source, List<ZfsSnapshot> target) {
        if (source.isEmpty()) {
            return new NothingToSend();
        }
        ZfsSnapshot latest = source.get(source.size() - 1);
        if (target.isEmpty()) {
            return new Send(null, source.get(0), latest, source.size());
        }
        ZfsSnapshot targetNewest = target.get(target.size() - 1);
        int index = indexOf(source, targetNewest);
        if (index < 0) {
            ZfsSnapshot shared = null;
            for (int i = target.size() - 2; i >= 0 && shared == null; i--) {
                int at = indexOf(source, target.get(i));
                shared = at < 0 ? null : source.get(at);
            }
            int behind = shared == null ? source.size() : source.size() - 1 - source.indexOf(shared);
            return new Diverged("the target's newest snapshot " + targetNewest.name()
                    + " (guid " + targetNewest.guid() + ") is not on the source", shared, behind);
        }
        if (index == source.size() - 1) {
            return new UpToDate(latest);
        }
        return new Send(source.get(index), null, latest, source.size() - 1 - index);
    }

    private static int indexOf(List<ZfsSnapshot> source, ZfsSnapshot wanted) {
        for (int i = source.size() - 1; i >= 0; i--) {
            ZfsSnapshot s = source.get(i);
            if (s.name().equals(wanted.name()) && s.guid().equals(wanted.guid())) {
                return i;
            }
        }
        return -1;
    }
}
