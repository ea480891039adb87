package net.goldentooth.storage.planning;

/**
 * What one replication target holds of a dataset.
 *
 * @param target   the target node
 * @param newest   the newest snapshot the target holds (the part after {@code @}); null when it holds none
 * @param enabled  replication to this target is on; a disabled target protects nothing
 */
public record ReplicationCursor(String target, String newest, boolean enabled) {
}
