package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.monitor.liveness.Liveness;
import net.goldentooth.monitor.liveness.NodeLiveness;
import org.junit.jupiter.api.Test;

/**
 * The service-check rules over nodes' {@code services} sections, with the shipped rule file and a
 * stepped clock. One test per seed incident: the Slurm memory mismatch, HAProxy's backend down and
 * the Consul rejoin age.
 */
class ServiceConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static ServiceCheck check(String kind, State state, Map<String, String> details) {
        return new ServiceCheck(kind, kind, state, null, details, T0, null);
    }

    private static NodeFacts facts(String node, Instant at, ServiceCheck... checks) {
        NodeFacts base = TestFacts.healthy(node, at);
        return new NodeFacts(node, at, 1, "test", base.host(), base.network(), base.thermal(), base.load(),
                base.memory(), base.filesystems(), base.timeSync(), base.units(), base.kernel(), base.certificates(),
                null, null, Section.fresh(List.of(checks), at));
    }

    private static ObservedNode up(NodeFacts facts, String... groups) {
        return new ObservedNode(facts.node(), Set.of(groups),
                new NodeLiveness(facts.node(), Liveness.UP, facts.collectedAt(), Duration.ZERO, null, null), facts);
    }

    private static Observations of(ObservedNode... nodes) {
        Map<String, ObservedNode> map = new java.util.HashMap<>();
        for (ObservedNode n : nodes) {
            map.put(n.node(), n);
        }
        return new Observations(map, Map.of(), List.of());
    }

    private static Optional<AlertState> find(AlertTable table, String alertName, String label, String value) {
        return table.states().stream()
                .filter(s -> s.alertName().equals(alertName) && value.equals(s.labels().get(label))).findFirst();
    }

    @Test
    void slurmMemoryIncidentFiresBeforeSlurmMarksTheNode() throws IOException {
        // The seed's karstark: RealMemory=4096 in slurm.conf, 3797 MiB measured, slurmd not registered yet.
        ServiceCheck karstark = check("slurmd", State.WARNING,
                Map.of("state", "unknown", "realMemoryMb", "4096", "measuredMemoryMb", "3797"));
        ServiceCheck lipps = check("slurmd", State.OK,
                Map.of("state", "idle", "realMemoryMb", "3700", "measuredMemoryMb", "3797"));
        Observations o = of(up(facts("karstark", T0, karstark), "slurm_compute"),
                up(facts("lipps", T0, lipps), "slurm_compute"));
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        table.evaluate(RuleFileParserTest.shipped(), o, T0);
        AlertState alert = find(table, "SlurmRealMemoryAboveMeasured", "node", "karstark").orElseThrow();
        assertEquals(AlertPhase.FIRING, alert.phase());
        assertEquals("critical", alert.severity());
        assertEquals(299.0, alert.value(), 0.001, "MiB above the measured memory");
        assertTrue(find(table, "SlurmRealMemoryAboveMeasured", "node", "lipps").isEmpty());
        assertTrue(find(table, "SlurmNodeUnusable", "node", "karstark").isEmpty(), "Slurm has not marked it yet");
    }

    @Test
    void slurmMemoryWithoutTheChecksOwnFigureUsesTheFactsMemory() {
        // TestFacts' memory section: 8,000,000,000 bytes = 7629.4 MiB.
        ServiceCheck slurmd = check("slurmd", State.OK, Map.of("state", "idle", "realMemoryMb", "8000"));
        List<Match> m = new Condition.SlurmMemoryAboveMeasured(null).matches(of(up(facts("velaryon", T0, slurmd))), T0);
        assertEquals(1, m.size());
        assertEquals(8000 - 8_000_000_000.0 / 1048576, m.get(0).value(), 0.01);
    }

    @Test
    void haproxyBackendDownIncidentFiresAfterAMinuteAndResolves() throws IOException {
        ServiceCheck down = check("haproxy", State.CRITICAL, Map.of(
                "backend.k8s_api_servers.status", "DOWN", "backend.k8s_api_servers.servers", "3",
                "backend.k8s_api_servers.serversUp", "0",
                "backend.stats.status", "UP", "backend.stats.servers", "0", "backend.stats.serversUp", "0"));
        List<RuleDefinition> rules = RuleFileParserTest.shipped();
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        table.evaluate(rules, of(up(facts("allyrion", T0, down), "haproxy")), T0);
        assertEquals(AlertPhase.PENDING, find(table, "HAProxyBackendDown", "backend", "k8s_api_servers").orElseThrow().phase());
        assertTrue(find(table, "HAProxyBackendDown", "backend", "stats").isEmpty(), "a backend without servers is not down");
        table.evaluate(rules, of(up(facts("allyrion", T0.plusSeconds(60), down), "haproxy")), T0.plusSeconds(60));
        AlertState firing = find(table, "HAProxyBackendDown", "backend", "k8s_api_servers").orElseThrow();
        assertEquals(AlertPhase.FIRING, firing.phase());
        assertEquals("allyrion", firing.labels().get("node"));
        ServiceCheck back = check("haproxy", State.WARNING, Map.of("backend.k8s_api_servers.status", "UP",
                "backend.k8s_api_servers.servers", "3", "backend.k8s_api_servers.serversUp", "1"));
        table.evaluate(rules, of(up(facts("allyrion", T0.plusSeconds(90), back), "haproxy")), T0.plusSeconds(90));
        assertEquals(AlertPhase.RESOLVED, find(table, "HAProxyBackendDown", "backend", "k8s_api_servers").orElseThrow().phase());
    }

    @Test
    void consulRejoinAgeIncidentFiresAt72HoursEvenWhileTheServerIsDown() throws IOException {
        // bettley's Consul was last in the cluster at T0; its node went off right after.
        ServiceCheck consul = check("consul", State.OK, Map.of("lastSeenUnix", Long.toString(T0.getEpochSecond()),
                "leader", "10.4.0.12:8300"));
        NodeFacts last = facts("bettley", T0, consul);
        List<RuleDefinition> rules = RuleFileParserTest.shipped();
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        Instant later = T0.plus(Duration.ofHours(71));
        ObservedNode down = new ObservedNode("bettley", Set.of("consul_server"),
                new NodeLiveness("bettley", Liveness.DOWN, T0, Duration.between(T0, later), null, null), last);
        table.evaluate(rules, of(down), later);
        assertTrue(find(table, "ConsulServerRejoinAge", "consul_server", "bettley").isEmpty(), "71 h: not yet");
        Instant at72 = T0.plus(Duration.ofHours(72));
        down = new ObservedNode("bettley", Set.of("consul_server"),
                new NodeLiveness("bettley", Liveness.DOWN, T0, Duration.between(T0, at72), null, null), last);
        table.evaluate(rules, of(down), at72);
        AlertState alert = find(table, "ConsulServerRejoinAge", "consul_server", "bettley").orElseThrow();
        assertEquals(AlertPhase.FIRING, alert.phase());
        assertEquals(72.0, alert.value(), 0.001);
        assertEquals(AlertPhase.FIRING, find(table, "NodeDown", "node", "bettley").orElseThrow().phase());
        assertFalse(alert.inhibited(), "node-down must not hide the rejoin clock");
    }

    @Test
    void vaultSealedPortHeldAndAnUnansweredCheckFire() throws IOException {
        ServiceCheck vault = check("vault", State.CRITICAL, Map.of("sealed", "true"));
        ServiceCheck ports = check("ports", State.CRITICAL, Map.of("port.9110", "agent",
                "port.9100", "held by python3 (pid 4242)", "port.4646", "free"));
        ServiceCheck nomad = check("nomad", State.UNKNOWN, Map.of());
        List<RuleDefinition> rules = RuleFileParserTest.shipped();
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        Observations o = of(up(facts("cargyll", T0, vault, ports, nomad)));
        table.evaluate(rules, o, T0);
        AlertState held = find(table, "PortHeldByAnotherProcess", "node", "cargyll").orElseThrow();
        assertEquals(AlertPhase.FIRING, held.phase());
        assertEquals(Map.of("node", "cargyll", "port", "9100", "holder", "python3 (pid 4242)"),
                Map.of("node", held.labels().get("node"), "port", held.labels().get("port"), "holder",
                        held.labels().get("holder")));
        assertEquals(AlertPhase.PENDING, find(table, "VaultSealed", "node", "cargyll").orElseThrow().phase());
        table.evaluate(rules, of(up(facts("cargyll", T0.plusSeconds(300), vault, ports, nomad))), T0.plusSeconds(300));
        assertEquals(AlertPhase.FIRING, find(table, "VaultSealed", "node", "cargyll").orElseThrow().phase());
        List<String> unknown = table.states().stream().filter(s -> s.alertName().equals("ServiceCheckUnknown"))
                .map(s -> s.labels().get("service")).sorted().toList();
        assertEquals(List.of("nomad"), unknown, "only the check that got no answer; critical ones are not unknown");
        assertTrue(find(table, "NomadNodeDown", "node", "cargyll").isEmpty());
    }

    @Test
    void promQlOverTheExportedGauges() {
        assertEquals("goldentooth_service_check_state{kind=\"vault\"} >= 3",
                new Condition.ServiceState("vault", State.CRITICAL, true, null).promQl());
        assertEquals("goldentooth_service_check_state == 2", new Condition.ServiceState(null, State.UNKNOWN, false, null).promQl());
        assertEquals("goldentooth_haproxy_backend_servers_up == 0 and goldentooth_haproxy_backend_servers > 0",
                new Condition.HaproxyBackendDown().promQl());
        assertEquals("time() - goldentooth_consul_last_seen_timestamp_seconds >= 259200",
                new Condition.ConsulRejoinAge(Duration.ofHours(72)).promQl());
        assertEquals("goldentooth_slurm_memory_excess_bytes > 0", new Condition.SlurmMemoryAboveMeasured(null).promQl());
    }

    @Test
    void badServiceConditionsAreRefusedWithTheirLine() {
        RuleFileException both = org.junit.jupiter.api.Assertions.assertThrows(RuleFileException.class,
                () -> RuleFileParser.parse("t.yaml", "rules:\n  - name: X\n    severity: warning\n"
                        + "    condition: {type: service-state, state: unknown, atLeast: critical}\n"));
        assertTrue(both.reason().contains("exactly one of 'state' or 'atLeast'"), both.reason());
        assertEquals(4, both.line());
        RuleFileException ok = org.junit.jupiter.api.Assertions.assertThrows(RuleFileException.class,
                () -> RuleFileParser.parse("t.yaml", "rules:\n  - name: X\n    severity: warning\n"
                        + "    condition: {type: service-state, atLeast: ok}\n"));
        assertTrue(ok.reason().contains("atLeast must be warning, unknown or critical"), ok.reason());
        RuleFileException purple = org.junit.jupiter.api.Assertions.assertThrows(RuleFileException.class,
                () -> RuleFileParser.parse("t.yaml", "rules:\n  - name: X\n    severity: warning\n"
                        + "    condition: {type: service-state, state: purple}\n"));
        assertTrue(purple.reason().contains("expected one of: ok, warning, critical, unknown"), purple.reason());
        RuleFileException age = org.junit.jupiter.api.Assertions.assertThrows(RuleFileException.class,
                () -> RuleFileParser.parse("t.yaml", "rules:\n  - name: X\n    severity: warning\n"
                        + "    condition: {type: consul-rejoin-age, age: three days}\n"));
        assertTrue(age.reason().contains("is not a duration"), age.reason());
    }
}
