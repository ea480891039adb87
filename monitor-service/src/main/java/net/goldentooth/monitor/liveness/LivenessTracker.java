package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
    /** Hashed, not sorted: facts look a node up on every record; only {@link #evaluate} needs the order. */
    private final Map<String, Track> tracks = new HashMap<>();

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
        Boolean kubeletReady;
        Instant kubeletAt;
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

    /**
     * Records the node's Kubernetes {@code Ready} condition as the API server reported it at
     * {@code observedAt}; an older report than the one held changes nothing.
     */
    public void kubelet(String node, boolean ready, Instant observedAt) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        if (track.kubeletAt != null && observedAt.isBefore(track.kubeletAt)) {
            return;
        }
        track.kubeletReady = ready;
        track.kubeletAt = observedAt;
    }

    /** Every known node's liveness at {@code now}, by node name. */
    public Map<String, NodeLiveness> evaluate(Instant now) {
        Map<String, NodeLiveness> result = new TreeMap<>();
        tracks.forEach((node, track) -> result.put(node, evaluate(node, track, now)));
        return result;
    }

    private NodeLiveness evaluate(String node, Track track, Instant now) {
        Boolean probe = fresh(track.probeAt, now, policy.probeFreshness()) ? track.probeReachable : null;
        Boolean kubelet = fresh(track.kubeletAt, now, policy.conditionsFreshness()) ? track.kubeletReady : null;
        if (track.lastFactsAt == null) {
            return new NodeLiveness(node, Liveness.UNKNOWN, null, null, probe, kubelet);
        }
        Duration age = Duration.between(track.lastFactsAt, now);
        Liveness liveness;
        if (age.compareTo(policy.window()) > 0) {
            track.damping = true;
            // The kubelet runs on the node and the API server hears from it: a stronger sign of life
            // than a port answering, so it decides when it is known; the probe decides otherwise.
            Boolean machineAlive = kubelet != null ? kubelet : probe;
            liveness = machineAlive == null ? Liveness.DOWN : machineAlive ? Liveness.AGENT_DOWN : Liveness.NODE_DOWN;
        } else if (track.damping && Duration.between(track.runStart, now).compareTo(policy.holdDown()) < 0) {
            liveness = Liveness.RECOVERING;
        } else {
            track.damping = false;
            liveness = Liveness.UP;
        }
        return new NodeLiveness(node, liveness, track.lastFactsAt, age, probe, kubelet);
    }

    private static boolean fresh(Instant at, Instant now, Duration freshness) {
        return at != null && Duration.between(at, now).compareTo(freshness) <= 0;
    }
}
