package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.cert.LifetimeKind;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.monitor.liveness.Liveness;
import net.goldentooth.monitor.liveness.NodeLiveness;
import org.junit.jupiter.api.Test;

/** The typed conditions over facts and folded certificate events. */
class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Observations nodes(Map<String, Set<String>> groups, NodeFacts... facts) {
        Map<String, ObservedNode> nodes = new java.util.HashMap<>();
        for (NodeFacts f : facts) {
            nodes.put(f.node(), new ObservedNode(f.node(), groups.getOrDefault(f.node(), Set.of()),
                    new NodeLiveness(f.node(), Liveness.UP, T0, Duration.ZERO, null, null), f));
        }
        return new Observations(nodes, Map.of(), List.of());
    }

    private static NodeFacts withSwapAndRoute(String node, long swap, String nic, List<String> flags) {
        NodeFacts f = TestFacts.healthy(node, T0);
        return new NodeFacts(node, T0, 1, "t", f.host(),
                NodeFacts.Section.fresh(new NodeFacts.Network(List.of(), nic, "10.4.0.1"), T0),
                NodeFacts.Section.fresh(new NodeFacts.Thermal(50.0, 1L, "0x0", flags), T0), f.load(),
                NodeFacts.Section.fresh(new NodeFacts.Memory(8_000_000_000L, 4_000_000_000L, swap, swap), T0),
                f.filesystems(), f.timeSync(), f.units(), f.kernel(), f.certificates());
    }

    @Test
    void swapCountsOnlyOnNodesOfTheGroup() {
        Observations o = nodes(Map.of("bettley", Set.of("k8s_cluster")),
                withSwapAndRoute("bettley", 1 << 30, "eth0", List.of()), withSwapAndRoute("velaryon", 1 << 30, "eth0", List.of()));
        List<Match> matches = new Condition.SwapEnabled("k8s_cluster").matches(o, T0);
        assertEquals(List.of(Map.of("node", "bettley")), matches.stream().map(Match::subject).toList());
        assertEquals(2, new Condition.SwapEnabled(null).matches(o, T0).size());
    }

    @Test
    void defaultRouteAndThrottlingLookAtTheCurrentState() {
        Observations o = nodes(Map.of(), withSwapAndRoute("a", 0, "wlan0", List.of("under-voltage-occurred")),
                withSwapAndRoute("b", 0, "eth0", List.of("throttled")));
        assertEquals(List.of(Map.of("node", "a")), new Condition.DefaultRouteNotPrimary("eth0", null).matches(o, T0)
                .stream().map(Match::subject).toList());
        assertEquals(List.of(Map.of("node", "b")), new Condition.Throttled(null).matches(o, T0)
                .stream().map(Match::subject).toList());
        assertTrue(new Condition.FilesystemUsed(Comparison.GE, 0.9, null).matches(o, T0).isEmpty());
        assertEquals(2, new Condition.FilesystemUsed(Comparison.GE, 0.5, null).matches(o, T0).size());
    }

    @Test
    void renewalOverdueOnceAThirdOfTheLifetimeRemains() {
        ObservedCert cert = CertFold.issued(null, new CertIssued("r", "fenn", "fenn/consul", "consul", CertKind.ENROLL,
                "01", null, null, T0, T0.plus(Duration.ofHours(24)), null, null, T0));
        Observations o = new Observations(Map.of(), Map.of("fenn/consul", cert), List.of());
        Condition overdue = new Condition.CertRenewalOverdue();
        assertTrue(overdue.matches(o, T0.plus(Duration.ofHours(15))).isEmpty());
        assertEquals(1, overdue.matches(o, T0.plus(Duration.ofHours(16))).size());

        // A renewal keeps the lineage's lifetime and moves the point on.
        ObservedCert renewed = CertFold.renewed(cert, new CertRenewed("fenn", "fenn/consul", "02",
                T0.plus(Duration.ofHours(40)), T0.plus(Duration.ofHours(16))));
        assertEquals(Duration.ofHours(24), renewed.lifetime());
        assertTrue(overdue.matches(new Observations(Map.of(), Map.of("fenn/consul", renewed), List.of()),
                T0.plus(Duration.ofHours(17))).isEmpty());
    }

    @Test
    void certificateEventsFoldInOrderAndIgnoreOlderCertificates() {
        ObservedCert issued = CertFold.issued(null, new CertIssued("r", "fenn", "fenn/consul", "consul", CertKind.ENROLL,
                "01", null, null, T0, T0.plus(Duration.ofHours(24)), null, null, T0));
        ObservedCert failing = CertFold.renewalFailed(issued, new CertRenewalFailed("fenn", "fenn/consul", "ca-down", 1,
                T0.plusSeconds(60)));
        failing = CertFold.renewalFailed(failing, new CertRenewalFailed("fenn", "fenn/consul", "ca-down", 2,
                T0.plusSeconds(120)));
        assertEquals(T0.plusSeconds(60), failing.failingSince());
        ObservedCert tiered = CertFold.expiring(failing, new CertExpiring("fenn", "fenn/consul", "consul",
                T0.plus(Duration.ofHours(24)), ExpiryTier.CRITICAL, LifetimeKind.SHORT, T0.plusSeconds(180)));
        assertEquals("critical", tiered.tier());
        assertEquals(T0, tiered.notBefore());
        ObservedCert stale = CertFold.expiring(tiered, new CertExpiring("fenn", "fenn/consul", "consul",
                T0.plus(Duration.ofHours(1)), ExpiryTier.EMERGENCY, LifetimeKind.SHORT, T0.plusSeconds(200)));
        assertEquals(tiered, stale, "an event about an older certificate changes nothing");
        ObservedCert renewed = CertFold.renewed(tiered, new CertRenewed("fenn", "fenn/consul", "02",
                T0.plus(Duration.ofHours(30)), T0.plusSeconds(300)));
        assertNull(renewed.failingSince());
        assertNull(renewed.tier());
    }

    private static ObservedNode skewed(String node, Duration offset, Duration error) {
        return new ObservedNode(node, Set.of(), new NodeLiveness(node, Liveness.UP, T0, Duration.ZERO, null, null,
                offset, error), null);
    }

    @Test
    void clockSkewIsMeasuredBeyondItsErrorWithoutAnyNtpFacts() {
        Map<String, ObservedNode> nodes = Map.of(
                "seed", skewed("seed", Duration.ofDays(-8).plusMillis(120), Duration.ofMillis(4)),
                "ahead", skewed("ahead", Duration.ofMillis(2500), Duration.ofMillis(100)),
                "within-error", skewed("within-error", Duration.ofMillis(2500), Duration.ofMillis(600)),
                "bound-only", skewed("bound-only", Duration.ofSeconds(-3), null),
                "fine", skewed("fine", Duration.ofMillis(-40), Duration.ofMillis(3)),
                "unmeasured", skewed("unmeasured", null, null));
        List<Match> matches = new Condition.ClockSkew(Duration.ofSeconds(2), null)
                .matches(new Observations(nodes, Map.of(), List.of()), T0);
        Map<String, Double> byNode = new java.util.TreeMap<>();
        matches.forEach(m -> byNode.put(m.subject().get("node"), m.value()));
        assertEquals(Map.of("seed", -691_200.0, "ahead", 2.5, "bound-only", -3.0), byNode,
                "whole seconds from 100 s on, so the annotation names the skew as -691200 s");
    }

    @Test
    void busDownIsOneAlertWithoutANode() {
        Condition busDown = new Condition.BusDown();
        assertEquals(List.of(new Match(Map.of(), 1.0)), busDown.matches(new Observations(Map.of(), Map.of(), List.of(),
                List.of(), List.of(), new net.goldentooth.monitor.liveness.BusView(T0, false, null)), T0));
        assertTrue(busDown.matches(new Observations(Map.of(), Map.of(), List.of(), List.of(), List.of(),
                net.goldentooth.monitor.liveness.BusView.alwaysUp(T0)), T0).isEmpty());
        assertTrue(busDown.matches(new Observations(Map.of(), Map.of(), List.of()), T0).isEmpty(), "unknown is not down");
    }
}
