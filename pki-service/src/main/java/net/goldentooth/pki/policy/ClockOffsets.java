package net.goldentooth.pki.policy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.goldentooth.events.heartbeat.NodeHeartbeat;

/**
 * Each node's clock offset as the clock-skew policy sees it: measured on the bus from the node's
 * heartbeats (the broker's append time against the node's clock) wherever it beats, and only
 * otherwise what the node's NTP facts report. A node that reports no NTP state at all (the seed's
 * 8-days-off case) is still measured. Thread-safe: facts and heartbeats arrive on their own threads.
 */
public final class ClockOffsets {

    private final Map<String, Double> reported = new ConcurrentHashMap<>();
    private final Map<String, Measured> measured = new ConcurrentHashMap<>();

    private record Measured(Instant appendedAt, double certainSeconds) {
    }

    /** What the node's facts say (null: nothing). */
    public void reported(String node, Double offsetSeconds) {
        if (offsetSeconds == null) {
            reported.remove(node);
        } else {
            reported.put(node, offsetSeconds);
        }
    }

    /** A heartbeat appended at {@code appendedAt} (broker time); older beats than the newest change nothing. */
    public void heartbeat(NodeHeartbeat beat, Instant appendedAt) {
        if (beat.node() == null || !beat.fromAgent() || appendedAt == null) {
            return;
        }
        NodeHeartbeat.ClockOffset offset = beat.clockOffset(appendedAt);
        if (offset == null) {
            return;
        }
        measured.compute(beat.node(), (node, held) -> held != null && held.appendedAt().isAfter(appendedAt) ? held
                : new Measured(appendedAt, offset.certainSeconds()));
    }

    /**
     * The offset in seconds the policy judges (signed, positive: ahead): the bus-measured one less
     * its error where known, else the reported one; null when neither is known.
     */
    public Double offsetOf(String node) {
        Measured m = measured.get(node);
        return m != null ? Double.valueOf(m.certainSeconds()) : reported.get(node);
    }
}
