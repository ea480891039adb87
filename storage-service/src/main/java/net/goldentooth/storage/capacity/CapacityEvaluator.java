package net.goldentooth.storage.capacity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;

/**
 * Pool and filesystem usage from a node's facts → capacity levels. Only changes of level are
 * returned (the first observation of a filesystem counts as a change), so the compacted topic
 * holds each filesystem's current level and a warning is published once, not every 15 s.
 * Stale facts decide nothing: a collector that timed out says nothing about the disk.
 */
public final class CapacityEvaluator {

    private final double warningPercent;
    private final double criticalPercent;
    private final Map<String, CapacityLevel> levels = new HashMap<>();

    public CapacityEvaluator(double warningPercent, double criticalPercent) {
        if (!(warningPercent > 0 && warningPercent < criticalPercent && criticalPercent <= 100)) {
            throw new IllegalArgumentException("capacity thresholds must satisfy 0 < warning (" + warningPercent
                    + ") < critical (" + criticalPercent + ") <= 100");
        }
        this.warningPercent = warningPercent;
        this.criticalPercent = criticalPercent;
    }

    public synchronized List<CapacityStatus> evaluate(String node, NodeFacts.Section<List<NodeFacts.Filesystem>> section,
                                                      Instant observedAt) {
        List<CapacityStatus> changes = new ArrayList<>();
        if (section == null || section.stale() || section.value() == null) {
            return changes;
        }
        for (NodeFacts.Filesystem fs : section.value()) {
            if (fs.totalBytes() <= 0) {
                continue;
            }
            long used = Math.max(0, fs.totalBytes() - fs.availableBytes());
            double percent = Math.round(1000.0 * used / fs.totalBytes()) / 10.0;
            CapacityLevel level = percent >= criticalPercent ? CapacityLevel.CRITICAL
                    : percent >= warningPercent ? CapacityLevel.WARNING : CapacityLevel.OK;
            String key = CapacityStatus.key(node, fs.mountPoint());
            if (levels.put(key, level) != level) {
                changes.add(new CapacityStatus(node, fs.mountPoint(), fs.device(), fs.type(), fs.totalBytes(), used,
                        percent, level, observedAt));
            }
        }
        return changes;
    }

    /** The level last published for a filesystem (from the compacted topic at start-up). */
    public synchronized void restore(CapacityStatus status) {
        levels.put(CapacityStatus.key(status.node(), status.mountPoint()), status.level());
    }
}
