package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.monitor.liveness.Liveness;
import net.goldentooth.monitor.liveness.NodeLiveness;
import org.junit.jupiter.api.Test;

/** Rule states with a stepped clock. */
class AlertTableTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static final RuleDefinition HOT = new RuleDefinition("CpuTemperatureHigh",
            new Condition.Metric(NodeMetric.CPU_TEMPERATURE, Comparison.GE, 60, null), Duration.ofMinutes(5), "warning",
            Map.of(), Map.of("summary", "{{ $labels.node }} at {{ $value }} °C"), null, "test:1");
    private static final RuleDefinition DOWN = new RuleDefinition("NodeDown", new Condition.NodeDown(), Duration.ZERO,
            "critical", Map.of(), Map.of(), null, "test:2");

    private final Map<String, ObservedNode> nodes = new HashMap<>();
    private final Map<String, ObservedCert> certs = new HashMap<>();

    private void node(String name, Liveness liveness, NodeFacts facts) {
        nodes.put(name, new ObservedNode(name, Set.of(), new NodeLiveness(name, liveness, T0, Duration.ZERO, null, null), facts));
    }

    private Observations observations() {
        return new Observations(nodes, certs, List.of());
    }

    private static Optional<AlertState> find(AlertTable table, String alertName) {
        return table.states().stream().filter(s -> s.alertName().equals(alertName)).findFirst();
    }

    @Test
    void pendingThenFiringAfterForThenResolved() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        table.evaluate(List.of(HOT), observations(), T0);
        AlertState pending = find(table, "CpuTemperatureHigh").orElseThrow();
        assertEquals(AlertPhase.PENDING, pending.phase());
        assertEquals(T0, pending.activeSince());
        assertEquals("fenn at 65 °C", pending.annotations().get("summary"));

        table.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(4)));
        assertEquals(AlertPhase.PENDING, find(table, "CpuTemperatureHigh").orElseThrow().phase());

        AlertTable.Evaluation fired = table.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(5)));
        AlertState firing = find(table, "CpuTemperatureHigh").orElseThrow();
        assertEquals(AlertPhase.FIRING, firing.phase());
        assertEquals(T0.plus(Duration.ofMinutes(5)), firing.firedAt());
        assertEquals(List.of(firing), fired.changed());

        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 50.0));
        table.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(6)));
        AlertState resolved = find(table, "CpuTemperatureHigh").orElseThrow();
        assertEquals(AlertPhase.RESOLVED, resolved.phase());
        assertEquals(T0.plus(Duration.ofMinutes(6)), resolved.resolvedAt());

        AlertTable.Evaluation forgotten = table.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(21)));
        assertTrue(find(table, "CpuTemperatureHigh").isEmpty());
        assertEquals(AlertPhase.INACTIVE, forgotten.changed().get(0).phase());
    }

    @Test
    void pendingThatClearsNeverFires() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        table.evaluate(List.of(HOT), observations(), T0);
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 55.0));
        AlertTable.Evaluation cleared = table.evaluate(List.of(HOT), observations(), T0.plusSeconds(60));
        assertEquals(AlertPhase.INACTIVE, cleared.changed().get(0).phase());
        assertEquals(0, table.size());
    }

    @Test
    void restoredPendingAlertKeepsItsForTimer() {
        AlertTable before = new AlertTable(Duration.ofMinutes(15));
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        AlertState published = before.evaluate(List.of(HOT), observations(), T0).changed().get(0);

        AlertTable after = new AlertTable(Duration.ofMinutes(15)); // a restarted monitor
        after.restore(published);
        after.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(3)));
        assertEquals(AlertPhase.PENDING, find(after, "CpuTemperatureHigh").orElseThrow().phase());
        after.evaluate(List.of(HOT), observations(), T0.plus(Duration.ofMinutes(5)));
        AlertState firing = find(after, "CpuTemperatureHigh").orElseThrow();
        assertEquals(AlertPhase.FIRING, firing.phase());
        assertEquals(T0, firing.activeSince());
    }

    @Test
    void restoreIgnoresResolvedAndInactive() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        table.restore(new AlertState("f1", "X", AlertPhase.RESOLVED, "warning", Map.of(), Map.of(), T0, T0, T0, T0,
                false, null));
        assertEquals(0, table.size());
    }

    @Test
    void identityIsTheHashOfTheLabels() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        node("gardener", Liveness.UP, TestFacts.withTemperature("gardener", T0, 65.0));
        table.evaluate(List.of(HOT), observations(), T0);
        assertEquals(2, table.size());
        AlertState fenn = table.states().stream().filter(s -> s.labels().get("node").equals("fenn")).findFirst().orElseThrow();
        assertEquals(Fingerprint.of(fenn.labels()), fenn.fingerprint());
        assertEquals(Fingerprint.of(Map.of("node", "fenn", "alertname", "CpuTemperatureHigh", "severity", "warning")),
                fenn.fingerprint());
    }

    @Test
    void tieredAlertsCollapseToTheHighestTier() {
        RuleDefinition warning = new RuleDefinition("CertificateExpiringSoon", new Condition.CertRemainingBelow(
                Duration.ofDays(30), 1.0), Duration.ZERO, "warning", Map.of(), Map.of(), new RuleDefinition.Tier("cert", 1), "t:1");
        RuleDefinition critical = new RuleDefinition("CertificateExpiringCritical", new Condition.CertRemainingBelow(
                Duration.ofDays(7), 1.0), Duration.ZERO, "critical", Map.of(), Map.of(), new RuleDefinition.Tier("cert", 2), "t:2");
        certs.put("bettley/consul", new ObservedCert("bettley/consul", "bettley", "consul",
                T0.minus(Duration.ofDays(85)), T0.plus(Duration.ofDays(5)), null, null, null));
        certs.put("fenn/vault", new ObservedCert("fenn/vault", "fenn", "vault",
                T0.minus(Duration.ofDays(70)), T0.plus(Duration.ofDays(20)), null, null, null));
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        table.evaluate(List.of(warning, critical), observations(), T0);
        Map<String, String> byLineage = new HashMap<>();
        table.states().forEach(s -> byLineage.merge(s.labels().get("lineage"), s.alertName(), (a, b) -> a + "+" + b));
        assertEquals(Map.of("bettley/consul", "CertificateExpiringCritical", "fenn/vault", "CertificateExpiringSoon"),
                byLineage);
    }

    @Test
    void alertsOnADownNodeAreInhibitedByNodeDown() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        RuleDefinition hotNow = new RuleDefinition("Hot", HOT.condition(), Duration.ZERO, "warning", Map.of(), Map.of(),
                null, "t:1");
        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        node("gardener", Liveness.UP, TestFacts.withTemperature("gardener", T0, 65.0));
        table.evaluate(List.of(DOWN, hotNow), observations(), T0);
        assertTrue(table.states().stream().noneMatch(AlertState::inhibited));

        node("fenn", Liveness.NODE_DOWN, TestFacts.withTemperature("fenn", T0, 65.0));
        AlertTable.Evaluation evaluation = table.evaluate(List.of(DOWN, hotNow), observations(), T0.plusSeconds(1));
        Map<String, Boolean> inhibited = new HashMap<>();
        table.states().forEach(s -> inhibited.put(s.alertName() + "@" + s.labels().get("node"), s.inhibited()));
        assertEquals(Map.of("NodeDown@fenn", false, "Hot@fenn", true, "Hot@gardener", false), inhibited);
        assertEquals(2, evaluation.changed().size(), "NodeDown fired and Hot@fenn became inhibited");

        node("fenn", Liveness.UP, TestFacts.withTemperature("fenn", T0, 65.0));
        table.evaluate(List.of(DOWN, hotNow), observations(), T0.plusSeconds(2));
        assertFalse(table.states().stream().filter(s -> s.alertName().equals("Hot")).anyMatch(AlertState::inhibited));
    }

    @Test
    void absurdFactsRaiseNoAlert() {
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        NodeFacts absurd = net.goldentooth.monitor.facts.FactsCheck.check(TestFacts.withTemperature("fenn", T0, 10_000.0)).facts();
        assertNull(absurd.thermal());
        node("fenn", Liveness.UP, absurd);
        RuleDefinition hotNow = new RuleDefinition("Hot", HOT.condition(), Duration.ZERO, "warning", Map.of(), Map.of(),
                null, "t:1");
        table.evaluate(List.of(hotNow), observations(), T0);
        assertEquals(0, table.size());
    }

    /**
     * Issue 16: NodeDown hid the cause of the seed's 8-day clock. ClockSkew (measured on the bus)
     * and NtpUnsynchronised stay visible on a node that is down; other alerts are inhibited.
     */
    @Test
    void clockAlertsAreNeverInhibitedByNodeDown() {
        RuleDefinition skew = new RuleDefinition("ClockSkew", new Condition.ClockSkew(Duration.ofSeconds(2), null),
                Duration.ZERO, "warning", Map.of(), Map.of(), null, "test:3");
        RuleDefinition ntp = new RuleDefinition("NtpUnsynchronised", new Condition.NtpUnsynced(null), Duration.ZERO,
                "warning", Map.of(), Map.of(), null, "test:4");
        RuleDefinition hot = new RuleDefinition("Hot", new Condition.Metric(NodeMetric.CPU_TEMPERATURE, Comparison.GE,
                60, null), Duration.ZERO, "warning", Map.of(), Map.of(), null, "test:5");
        NodeFacts facts = TestFacts.unsynced("fenn", T0, 80.0);
        nodes.put("fenn", new ObservedNode("fenn", Set.of(), new NodeLiveness("fenn", Liveness.NODE_DOWN, T0,
                Duration.ofSeconds(30), false, null, Duration.ofDays(-8), Duration.ofMillis(3)), facts));
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        table.evaluate(List.of(DOWN, skew, ntp, hot), observations(), T0);
        Map<String, Boolean> inhibited = new HashMap<>();
        table.states().forEach(s -> inhibited.put(s.alertName(), s.inhibited()));
        assertEquals(Map.of("NodeDown", false, "ClockSkew", false, "NtpUnsynchronised", false, "Hot", true), inhibited);
        assertEquals(-691_200.0, find(table, "ClockSkew").orElseThrow().value(), "the value names the skew");
    }
}
