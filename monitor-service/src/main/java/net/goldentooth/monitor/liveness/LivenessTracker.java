package net.goldentooth.monitor.liveness;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.events.heartbeat.NodeHeartbeat;

/**
 * Node liveness from the times the broker appended each node's records (heartbeats and facts),
 * plus probes, given bus time. Never from a node's own timestamps: a node whose clock is days off
 * is up as long as its records arrive. Not thread-safe; the caller serialises access.
 *
 * <p>Silence window: a node that beats is down after {@link LivenessPolicy#heartbeatWindow} of its
 * own interval; one that only publishes facts after {@link LivenessPolicy#window()}.
 *
 * <p>The bus: while it is down for the monitor ({@link BusView#up()} false) every verdict holds as
 * it was, since the silence is the bus's (one "bus down" alert, not one NodeDown per node); once it
 * is back, a node's silence is counted from {@link BusView#upSince()} at the earliest.
 *
 * <p>Damping: a node that was down (or whose records show a gap longer than its window) is
 * {@link Liveness#RECOVERING} until they have flowed without a gap for the hold-down, so a
 * flapping agent does not resolve and re-fire NodeDown every few seconds.
 */
public final class LivenessTracker {

    private final LivenessPolicy policy;
    /** Hashed, not sorted: records look a node up every second; only {@link #evaluate} needs the order. */
    private final Map<String, Track> tracks = new HashMap<>();
    private Map<String, NodeLiveness> held = Map.of();

    public LivenessTracker(LivenessPolicy policy) {
        this.policy = policy;
    }

    private static final class Track {
        Instant lastSeenAt;
        /** Start of the current gap-free run of records. */
        Instant runStart;
        /** The node was seen down (or a gap was seen) and has not yet served its hold-down. */
        boolean damping;
        /**
         * The last record before a gap longer than the window, until an evaluation decides whether
         * the gap was the node's (damping) or the bus's (an outage inside it): records that arrive
         * after an outage must not damp the node because of it.
         */
        Instant gapFrom;
        /** The newest verdict was down: a bus outage does not grant such a node a fresh window. */
        boolean wasDown;
        /** Set once the node beats: its silence window, from its own interval. */
        Duration beatWindow;
        Boolean probeReachable;
        Instant probeAt;
        Boolean agentReachable;
        Instant agentProbeAt;
        Boolean kubeletReady;
        Instant kubeletAt;
        Duration clockOffset;
        Duration clockOffsetError;

        Duration window(LivenessPolicy policy) {
            return beatWindow != null ? beatWindow : policy.window();
        }
    }

    /** A node the monitor should know even before it publishes (from the inventory). */
    public void expect(String node) {
        tracks.computeIfAbsent(node, n -> new Track());
    }

    /** A record of the node's was appended at {@code appendedAt} (bus time); older ones change nothing. */
    public void seen(String node, Instant appendedAt) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        if (track.lastSeenAt != null && !appendedAt.isAfter(track.lastSeenAt)) {
            return;
        }
        if (track.lastSeenAt == null) {
            track.runStart = appendedAt;
        } else if (Duration.between(track.lastSeenAt, appendedAt).compareTo(track.window(policy)) > 0) {
            track.runStart = appendedAt;
            if (track.gapFrom == null) {
                track.gapFrom = track.lastSeenAt;
            }
        }
        track.lastSeenAt = appendedAt;
    }

    /**
     * A heartbeat appended at {@code appendedAt}, beating every {@code interval}, with the clock
     * offset it shows ({@link NodeHeartbeat#clockOffset}; null when unknown).
     */
    public void heartbeat(String node, Instant appendedAt, Duration interval, NodeHeartbeat.ClockOffset offset) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        if (interval != null && interval.compareTo(Duration.ZERO) > 0) {
            track.beatWindow = policy.heartbeatWindow(interval);
        }
        boolean newest = track.lastSeenAt == null || appendedAt.isAfter(track.lastSeenAt);
        seen(node, appendedAt);
        if (newest && offset != null) {
            track.clockOffset = offset.offset();
            track.clockOffsetError = offset.error();
        }
    }

    /** Records a probe answer for the node's inventory address (the machine). */
    public void probe(String node, boolean reachable, Instant at) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        track.probeReachable = reachable;
        track.probeAt = at;
    }

    /** Records a probe answer of the node's agent itself (its HTTP port). */
    public void agentProbe(String node, boolean reachable, Instant at) {
        Track track = tracks.computeIfAbsent(node, n -> new Track());
        track.agentReachable = reachable;
        track.agentProbeAt = at;
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

    /** Every known node's liveness at {@code now} on a bus that has always been up. */
    public Map<String, NodeLiveness> evaluate(Instant now) {
        return evaluate(BusView.alwaysUp(now), now);
    }

    /**
     * Every known node's liveness, by node name. Silence is measured in bus time
     * ({@code bus.now()}); probe and kubelet answers are stamped by the monitor's own clock and
     * aged against {@code monitorNow}.
     */
    public Map<String, NodeLiveness> evaluate(BusView bus, Instant monitorNow) {
        if (!bus.up() || bus.now() == null) {
            Map<String, NodeLiveness> hold = new TreeMap<>(held);
            tracks.forEach((node, track) -> hold.putIfAbsent(node,
                    new NodeLiveness(node, Liveness.UNKNOWN, track.lastSeenAt, null, null, null, track.clockOffset,
                            track.clockOffsetError)));
            return hold;
        }
        Map<String, NodeLiveness> result = new TreeMap<>();
        tracks.forEach((node, track) -> result.put(node, evaluate(node, track, bus, monitorNow)));
        held = result;
        return result;
    }

    private NodeLiveness evaluate(String node, Track track, BusView bus, Instant monitorNow) {
        Boolean probe = fresh(track.probeAt, monitorNow, policy.probeFreshness()) ? track.probeReachable : null;
        Boolean agent = fresh(track.agentProbeAt, monitorNow, policy.probeFreshness()) ? track.agentReachable : null;
        Boolean kubelet = fresh(track.kubeletAt, monitorNow, policy.conditionsFreshness()) ? track.kubeletReady : null;
        if (track.lastSeenAt == null) {
            return new NodeLiveness(node, Liveness.UNKNOWN, null, null, probe, kubelet, null, null);
        }
        Duration window = track.window(policy);
        if (track.gapFrom != null) {
            // The part of the gap after the bus came back is the node's; before it, the bus's.
            Instant from = bus.upSince() != null && bus.upSince().isAfter(track.gapFrom) ? bus.upSince() : track.gapFrom;
            if (Duration.between(from, track.runStart).compareTo(window) > 0) {
                track.damping = true;
            }
            track.gapFrom = null;
        }
        Duration age = Duration.between(track.lastSeenAt, bus.now());
        Instant silentSince = !track.wasDown && bus.upSince() != null && bus.upSince().isAfter(track.lastSeenAt)
                ? bus.upSince() : track.lastSeenAt;
        Liveness liveness;
        if (Duration.between(silentSince, bus.now()).compareTo(window) > 0) {
            track.damping = true;
            liveness = silent(probe, agent, kubelet);
        } else if (track.damping && Duration.between(track.runStart, bus.now()).compareTo(policy.holdDown()) < 0) {
            liveness = Liveness.RECOVERING;
        } else {
            track.damping = false;
            liveness = Liveness.UP;
        }
        track.wasDown = liveness.down();
        return new NodeLiveness(node, liveness, track.lastSeenAt, age, probe, kubelet, track.clockOffset,
                track.clockOffsetError);
    }

    /**
     * Which part of a silent node is gone. The kubelet runs on the node and the API server hears
     * from it: a stronger sign of the machine than a port answering, so it decides when known.
     * An agent that answers its own probe is running: only its path to the bus is cut.
     */
    private static Liveness silent(Boolean machineProbe, Boolean agentProbe, Boolean kubelet) {
        if (Boolean.TRUE.equals(agentProbe)) {
            return Liveness.PARTITIONED;
        }
        Boolean machineAlive = kubelet != null ? kubelet : machineProbe;
        if (Boolean.FALSE.equals(machineAlive)) {
            return Liveness.NODE_DOWN;
        }
        return machineAlive == null ? Liveness.DOWN : Liveness.AGENT_DOWN;
    }

    private static boolean fresh(Instant at, Instant now, Duration freshness) {
        return at != null && Duration.between(at, now).compareTo(freshness) <= 0;
    }
}
