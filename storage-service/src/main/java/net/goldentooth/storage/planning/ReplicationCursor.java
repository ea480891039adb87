package net.goldentooth.storage.planning;

/**
 * What one replication target holds of a dataset.
 *
 * @param target  the target node
 * @param newest  the newest snapshot the target holds (the part after {@code @}); null when it holds none
 * @param enabled replication to this target is on; a disabled target protects nothing
 * @param known   false when the target could not be asked (unreachable): its base is unknown, so
 *                nothing may be pruned
 */
public record ReplicationCursor(String target, String newest, boolean enabled, boolean known) {

    public ReplicationCursor(String target, String newest, boolean enabled) {
        this(target, newest, enabled, true);
    }

    public static ReplicationCursor unknown(String target) {
        return new ReplicationCursor(target, null, true, false);
    }
}
