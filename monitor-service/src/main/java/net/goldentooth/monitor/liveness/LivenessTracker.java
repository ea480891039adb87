package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Node liveness from the agents' own facts timestamps plus a probe, given the time. Not
 * thread-safe; the caller serialises access.
 *
 * <p>Damping: a node that was down (or whose facts show a gap longer than the window) is
 * {@link Liveness#RECOVERING} until its facts have flowed without a gap for the hold-down, so a
 * flapping agent does not resolve and re-fire NodeDown every few seconds.
 */
public final class LivenessTracker {

    private final LivenessPolicy policy;
    private final Map<String, Track> tracks = new TreeMap<>();

    public LivenessTracker(LivenessPolicy policy) {
        this.policy = policy;
    }

    private static final class Track {
        Instant lastFactsAt;
        /** Start of the current gap-free run of facts. */
        Instant runStart;
        /** The node was seen down (or a gap was seen) and has not yet served its hold-down. */
        boolean damping;
        Boolean probeReachable;
        Instant probeAt;
    }

    /** A node the monitor should know even before it publishes (from the inventory). */
    public void expect(String node) {
        tracks.computeIfAbsent(node, n -> new Track());
    }

    /** Records facts collected at {@code collectedAt}; older-than-newest facts change nothing. */
    public void facts(String node, Instant collectedAt) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        if (track.lastFactsAt != null && !collectedAt.isAfter(track.lastFactsAt)) {
            return;
        }
        if (track.lastFactsAt == null) {
            track.runStart = collectedAt;
        } else if (Duration.between(track.lastFactsAt, collectedAt).compareTo(policy.window()) > 0) {
            track.runStart = collectedAt;
            track.damping = true;
        }
        track.lastFactsAt = collectedAt;
    }

    /** Records a probe answer for the node's inventory address. */
    public void probe(String node, boolean reachable, Instant at) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        track.probeReachable = reachable;
        track.probeAt = at;
    }

    /** Every known node's liveness at {@code now}, by node name. */
    public Map<String, NodeLiveness> evaluate(Instant now) {
        Map<String, NodeLiveness> result = new TreeMap<>();
        tracks.forEach((node, track) -> result.put(node, evaluate(node, track, now)));
        return result;
    }

    private NodeLiveness evaluate(String node, Track track, Instant now) {
        Boolean probe = track.probeAt != null
                && Duration.between(track.probeAt, now).compareTo(policy.probeFreshness()) <= 0
                ? track.probeReachable : null;
        if (track.lastFactsAt == null) {
            return new NodeLiveness(node, Liveness.UNKNOWN, null, null, probe);
        }
        Duration age = Duration.between(track.lastFactsAt, now);
        Liveness liveness;
        if (age.compareTo(policy.window()) > 0) {
            track.damping = true;
            liveness = probe == null ? Liveness.DOWN : probe ? Liveness.AGENT_DOWN : Liveness.NODE_DOWN;
        } else if (track.damping && Duration.between(track.runStart, now).compareTo(policy.holdDown()) < 0) {
            liveness = Liveness.RECOVERING;
        } else {
            track.damping = false;
            liveness = Liveness.UP;
        }
        return new NodeLiveness(node, liveness, track.lastFactsAt, age, probe);
    }
}
