package net.goldentooth.events.storage;

import java.time.Instant;

/**
 * A filesystem's capacity level on the compacted {@code storage.capacity} topic (key
 * {@code <node>:<mountPoint>}), published when its level changes, back to {@code ok} included.
 *
 * @param usedPercent used share of the total, 0-100, from the node's facts
 */
public record CapacityStatus(String node, String mountPoint, String device, String type, long totalBytes,
                             long usedBytes, double usedPercent, CapacityLevel level, Instant observedAt) {

    public static String key(String node, String mountPoint) {
        return node + ":" + mountPoint;
    }
}
