package net.goldentooth.monitor.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import org.junit.jupiter.api.Test;

class LivenessTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final LivenessPolicy policy = new LivenessPolicy(Duration.ofSeconds(15), 3, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMinutes(5));

    private Liveness at(LivenessTracker tracker, String node, long seconds) {
        return tracker.evaluate(T0.plusSeconds(seconds)).get(node).liveness();
    }

    @Test
    void aNodeThatOnlyPublishesFactsIsDownAfterThreeMissedIntervals() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.seen("bettley", T0);
        assertEquals(Liveness.UP, at(tracker, "bettley", 44));
        assertEquals(Liveness.UP, at(tracker, "bettley", 45));
        assertEquals(Liveness.DOWN, at(tracker, "bettley", 46));
    }

    @Test
    void probeTellsAgentDownFromNodeDown() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.seen("a", T0);
        tracker.seen("b", T0);
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
            tracker.seen(node, T0);
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
        tracker.seen("bettley", T0);
        tracker.kubelet("bettley", false, T0.plusSeconds(40));
        tracker.kubelet("bettley", true, T0.plusSeconds(10));
        assertEquals(Liveness.NODE_DOWN, at(tracker, "bettley", 60));
        // Five minutes after the report it is stale, and there is no probe answer.
        assertEquals(Liveness.DOWN, at(tracker, "bettley", 40 + 301));
    }

    @Test
    void aReadyKubeletDoesNotHideFreshFacts() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.seen("bettley", T0);
        tracker.kubelet("bettley", false, T0);
        assertEquals(Liveness.UP, at(tracker, "bettley", 10));
    }

    @Test
    void holdDownDampsRecovery() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.seen("n", T0);
        assertEquals(Liveness.DOWN, at(tracker, "n", 60));
        tracker.seen("n", T0.plusSeconds(100));
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 101));
        tracker.seen("n", T0.plusSeconds(115));
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 129));
        assertEquals(Liveness.UP, at(tracker, "n", 130));
        assertEquals(true, Liveness.RECOVERING.down());
    }

    @Test
    void aGapSeenOnlyInTheRecordsStillCountsAsAnOutage() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.seen("n", T0);
        tracker.seen("n", T0.plusSeconds(120)); // the monitor never evaluated during the gap
        assertEquals(Liveness.RECOVERING, at(tracker, "n", 121));
        assertEquals(Liveness.UP, at(tracker, "n", 150));
    }

    @Test
    void olderRecordsChangeNothingAndUnseenNodesAreUnknown() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.expect("never");
        tracker.seen("n", T0.plusSeconds(30));
        tracker.seen("n", T0);
        assertEquals(T0.plusSeconds(30), tracker.evaluate(T0.plusSeconds(31)).get("n").lastFactsAt());
        assertEquals(Liveness.UNKNOWN, at(tracker, "never", 1000));
    }

    @Test
    void policyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new LivenessPolicy(Duration.ZERO, 3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new LivenessPolicy(Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    // Heartbeats, bus time and the false-alarm list of issue 16, in given time.

    private static final Duration BEAT = Duration.ofSeconds(1);

    private static void beats(LivenessTracker tracker, String node, long fromSecond, long toSecond) {
        for (long s = fromSecond; s <= toSecond; s++) {
            tracker.heartbeat(node, T0.plusSeconds(s), BEAT, beat(node, T0.plusSeconds(s), 0L, 2L)
                    .clockOffset(T0.plusSeconds(s)));
        }
    }

    private static NodeHeartbeat beat(String node, Instant sentAt, Long offsetMillis, Long errorMillis) {
        return new NodeHeartbeat(node, NodeHeartbeat.AGENT, 0, sentAt, 1000, offsetMillis, errorMillis);
    }

    private static Liveness atBus(LivenessTracker tracker, String node, BusView bus) {
        return tracker.evaluate(bus, bus.now() == null ? T0 : bus.now()).get(node).liveness();
    }

    @Test
    void aBeatingNodeIsDownAfterSixMissedBeatsNotAfterTheFactsWindow() {
        LivenessTracker tracker = new LivenessTracker(policy);
        beats(tracker, "bettley", 0, 10);
        assertEquals(Liveness.UP, at(tracker, "bettley", 16));
        assertEquals(Liveness.DOWN, at(tracker, "bettley", 17));
    }

    @Test
    void aThreeSecondStallIsNoOutage() {
        LivenessTracker tracker = new LivenessTracker(policy);
        beats(tracker, "n", 0, 10);
        // SIGSTOP at 10.x, SIGCONT 3 s later: the next beat is appended at 14.
        for (long s = 11; s <= 13; s++) {
            assertEquals(Liveness.UP, at(tracker, "n", s));
        }
        beats(tracker, "n", 14, 20);
        assertEquals(Liveness.UP, at(tracker, "n", 20), "no damping either: the gap was inside the window");
    }

    @Test
    void theNodesOwnClockDoesNotMatterOnlyTheAppendTime() {
        LivenessTracker tracker = new LivenessTracker(policy);
        Instant eightDaysBehind = T0.minus(Duration.ofDays(8));
        tracker.heartbeat("bettley", T0, BEAT, beat("bettley", eightDaysBehind, Duration.ofDays(-8).toMillis(), 3L)
                .clockOffset(T0));
        NodeLiveness live = tracker.evaluate(T0.plusSeconds(1)).get("bettley");
        assertEquals(Liveness.UP, live.liveness());
        assertEquals(Duration.ofDays(-8), live.clockOffset());
        assertEquals(Duration.ofMillis(3), live.clockOffsetError());
    }

    @Test
    void withoutTheNodesOwnMeasurementTheMonitorShowsItsOneSidedBound() {
        LivenessTracker tracker = new LivenessTracker(policy);
        tracker.heartbeat("old", T0, BEAT, beat("old", T0.minus(Duration.ofDays(8)), null, null).clockOffset(T0));
        // A measurement that contradicts the bound (offset + error below sent - appended) is not taken.
        tracker.heartbeat("liar", T0, BEAT, beat("liar", T0.plusSeconds(60), 0L, 5L).clockOffset(T0));
        Map<String, NodeLiveness> live = tracker.evaluate(T0.plusSeconds(1));
        assertEquals(Duration.ofDays(-8), live.get("old").clockOffset());
        assertEquals(null, live.get("old").clockOffsetError());
        assertEquals(Duration.ofSeconds(60), live.get("liar").clockOffset());
    }

    @Test
    void whileTheBusIsDownEveryVerdictHoldsAndSilenceCountsFromItsReturn() {
        LivenessTracker tracker = new LivenessTracker(policy);
        for (String node : new String[] {"a", "b", "c"}) {
            beats(tracker, node, 0, 10);
        }
        beats(tracker, "dead", 0, 2);
        assertEquals(Liveness.DOWN, atBus(tracker, "dead", BusView.alwaysUp(T0.plusSeconds(10))));
        // The broker is away from 10.5 s to 30.5 s: the monitor's beats are not acknowledged.
        for (long s = 14; s <= 30; s++) {
            BusView down = new BusView(T0.plusSeconds(s), false, null);
            assertEquals(Liveness.UP, atBus(tracker, "a", down), "second " + s);
            assertEquals(Liveness.DOWN, atBus(tracker, "dead", down), "second " + s);
        }
        // Back at 31: the agents' beats arrive over the next seconds; nobody is down for the outage.
        Instant back = T0.plusSeconds(31);
        for (long s = 31; s <= 36; s++) {
            BusView up = new BusView(T0.plusSeconds(s), true, back);
            assertEquals(Liveness.UP, atBus(tracker, "a", up), "second " + s);
            if (s == 33) {
                beats(tracker, "a", 33, 33);
                beats(tracker, "b", 33, 33);
            }
        }
        assertEquals(Liveness.UP, atBus(tracker, "c", new BusView(T0.plusSeconds(37), true, back)));
        assertEquals(Liveness.DOWN, atBus(tracker, "dead", new BusView(T0.plusSeconds(37), true, back)),
                "a node down before the outage gets no fresh window after it");
        // c never came back: six beats after the bus did, it is down (b and a are fine).
        assertEquals(Liveness.DOWN, atBus(tracker, "c", new BusView(T0.plusSeconds(38), true, back)));
        assertEquals(Liveness.UP, atBus(tracker, "b", new BusView(T0.plusSeconds(38), true, back)));
    }

    @Test
    void beforeTheMonitorEverReachedTheBusNothingIsJudged() {
        LivenessTracker tracker = new LivenessTracker(policy);
        beats(tracker, "n", 0, 1);
        assertEquals(Liveness.UNKNOWN, atBus(tracker, "n", new BusView(null, false, null)));
    }

    @Test
    void anAgentThatAnswersItsProbeWhileItsRecordsDoNotArriveIsPartitioned() {
        LivenessTracker tracker = new LivenessTracker(policy);
        beats(tracker, "cut", 0, 2);
        beats(tracker, "crashed", 0, 2);
        beats(tracker, "off", 0, 2);
        for (String node : new String[] {"cut", "crashed", "off"}) {
            tracker.probe(node, !node.equals("off"), T0.plusSeconds(9));
            tracker.agentProbe(node, node.equals("cut"), T0.plusSeconds(9));
        }
        assertEquals(Liveness.PARTITIONED, at(tracker, "cut", 10));
        assertEquals(Liveness.AGENT_DOWN, at(tracker, "crashed", 10));
        assertEquals(Liveness.NODE_DOWN, at(tracker, "off", 10));
        assertEquals(true, Liveness.PARTITIONED.down());
    }

    @Test
    void aFlappingAgentStaysDampedUntilItHoldsForTheHoldDown() {
        LivenessTracker tracker = new LivenessTracker(policy);
        // The seed's loose USB cable: 10 s of beats, 10 s of silence, again and again.
        long s = 0;
        for (int cycle = 0; cycle < 3; cycle++) {
            beats(tracker, "usb", s, s + 10);
            assertEquals(cycle == 0 ? Liveness.UP : Liveness.RECOVERING, at(tracker, "usb", s + 10), "cycle " + cycle);
            assertEquals(Liveness.DOWN, at(tracker, "usb", s + 20));
            s += 21;
        }
        beats(tracker, "usb", s, s + 29);
        assertEquals(Liveness.RECOVERING, at(tracker, "usb", s + 29));
        beats(tracker, "usb", s + 30, s + 30);
        assertEquals(Liveness.UP, at(tracker, "usb", s + 30));
    }

    @Test
    void missedHeartbeatsBelowTwoAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LivenessPolicy(Duration.ofSeconds(15), 3,
                Duration.ZERO, Duration.ZERO, Duration.ZERO, 1));
    }
}
