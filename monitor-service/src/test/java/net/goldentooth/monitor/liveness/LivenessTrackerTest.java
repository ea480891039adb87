package net.goldentooth.monitor.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final LivenessPolicy policy = new LivenessPolicy(Duration.ofSeconds(15), 3, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMinutes(5));

    private Liveness at(LivenessTracker tracker, String node, long seconds) {
        return tracker.evaluate(T0.plusSeconds(seconds)).get(node).liveness();
    }

    @Test
    void downAfterThreeMissedIntervalsFromTheAgentsOwnTimestamp() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("bettley", T0);
        assertEquals(Liveness.UP, at(tracker, "bettley", 44));
        assertEquals(Liveness.UP, at(tracker, "bettley", 45));
        assertEquals(Liveness.DOWN, at(tracker, "bettley", 46));
    }

    @Test
    void probeTellsAgentDownFromNodeDown() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("a", T0);
        tracker.facts("b", T0);
        tracker.probe("a", true, T0.plusSeconds(50));
        tracker.probe("b", false, T0.plusSeconds(50));
        assertEquals(Liveness.AGENT_DOWN, at(tracker, "a", 60));
        assertEquals(Liveness.NODE_DOWN, at(tracker, "b", 60));
        // An old probe answer no longer decides.
        assertEquals(Liveness.DOWN, at(tracker, "a", 200));
    }

    @Test
    void kubeletReadyMeansAgentDownAndNotReadyMeansNodeDownWhateverTheProbeSays() {
        LivenessTracker tracker = new LivenessTracker(policy);
        for (String node : new String[] {"ready", "not-ready", "unknown"}) {
            tracker.facts(node, T0);
            // The probe alone would say the opposite of the kubelet for the first two.
            tracker.probe(node, !node.equals("ready"), T0.plusSeconds(50));
        }
        tracker.kubelet("ready", true, T0.plusSeconds(40));
        tracker.kubelet("not-ready", false, T0.plusSeconds(40));
        assertEquals(Liveness.AGENT_DOWN, at(tracker, "ready", 60));
        assertEquals(Liveness.NODE_DOWN, at(tracker, "not-ready", 60));
        // No kubelet report: the probe decides, as before.
        assertEquals(Liveness.AGENT_DOWN, at(tracker, "unknown", 60));
        assertEquals(Boolean.TRUE, tracker.evaluate(T0.plusSeconds(60)).get("ready").kubeletReady());
    }

    @Test
    void anOldKubeletReportDecidesNothingAndAnOlderOneDoesNotReplaceANewer() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("bettley", T0);
        tracker.kubelet("bettley", false, T0.plusSeconds(40));
        tracker.kubelet("bettley", true, T0.plusSeconds(10));
        assertEquals(Liveness.NODE_DOWN, at(tracker, "bettley", 60));
        // Five minutes after the report it is stale, and there is no probe answer.
        assertEquals(Liveness.DOWN, at(tracker, "bettley", 40 + 301));
    }

    @Test
    void aReadyKubeletDoesNotHideFreshFacts() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("bettley", T0);
        tracker.kubelet("bettley", false, T0);
        assertEquals(Liveness.UP, at(tracker, "bettley", 10));
    }

    @Test
    void holdDownDampsRecovery() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("n", T0);
        assertEquals(Liveness.DOWN, at(tracker, "n", 60));
        tracker.facts("n", T0.plusSeconds(100));
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 101));
        tracker.facts("n", T0.plusSeconds(115));
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 129));
        assertEquals(Liveness.UP, at(tracker, "n", 130));
        assertEquals(true, Liveness.RECOVERING.down());
    }

    @Test
    void aGapSeenOnlyInTheFactsStillCountsAsAnOutage() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.facts("n", T0);
        tracker.facts("n", T0.plusSeconds(120)); // the monitor never evaluated during the gap
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 121));
        assertEquals(Liveness.UP, at(tracker, "n", 150));
    }

    @Test
    void olderFactsChangeNothingAndUnseenNodesAreUnknown() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.expect("never");
        tracker.facts("n", T0.plusSeconds(30));
        tracker.facts("n", T0);
        assertEquals(T0.plusSeconds(30), tracker.evaluate(T0.plusSeconds(31)).get("n").lastFactsAt());
        assertEquals(Liveness.UNKNOWN, at(tracker, "never", 1000));
    }

    @Test
    void policyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new LivenessPolicy(Duration.ZERO, 3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new LivenessPolicy(Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }
}
