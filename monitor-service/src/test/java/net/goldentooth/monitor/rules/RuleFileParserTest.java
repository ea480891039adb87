package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RuleFileParserTest {

    static String shippedText() throws IOException {
        try (InputStream in = RuleFileParserTest.class.getClassLoader().getResourceAsStream(RuleSet.SHIPPED)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<RuleDefinition> shipped() throws IOException {
        return RuleFileParser.parse(RuleSet.SHIPPED, shippedText());
    }

    @Test
    void shippedRulesKeepTheSeedsForAndSeverity() throws IOException {
        Map<String, RuleDefinition> rules = shipped().stream()
                .collect(Collectors.toMap(RuleDefinition::name, Function.identity()));
        // seed lines 11526-11598
        assertEquals(List.of(Duration.ofHours(1), "warning"), forAndSeverity(rules.get("CertificateExpiringSoon")));
        assertEquals(List.of(Duration.ofMinutes(5), "critical"), forAndSeverity(rules.get("CertificateExpiringCritical")));
        assertEquals(List.of(Duration.ofMinutes(1), "critical"), forAndSeverity(rules.get("CertificateExpiringEmergency")));
        assertEquals(List.of(Duration.ofMinutes(5), "warning"), forAndSeverity(rules.get("CertificateFileExpiring")));
        assertEquals(List.of(Duration.ofMinutes(10), "critical"), forAndSeverity(rules.get("CertificateRenewalTimerFailed")));
        assertEquals(List.of(Duration.ofMinutes(2), "critical"), forAndSeverity(rules.get("PkiServiceDown")));
        assertEquals(List.of(Duration.ofMinutes(5), "warning"), forAndSeverity(rules.get("TLSEndpointDown")));
        assertEquals("critical", rules.get("NodeDown").severity());
        assertInstanceOf(Condition.SwapEnabled.class, rules.get("SwapEnabledOnKubernetesNode").condition());
        assertEquals("k8s_cluster", ((Condition.SwapEnabled) rules.get("SwapEnabledOnKubernetesNode").condition()).group());
        assertEquals(List.of(Duration.ZERO, "critical"), forAndSeverity(rules.get("ReplicationDiverged")));
        assertEquals(List.of(Duration.ofMinutes(15), "warning"), forAndSeverity(rules.get("ReplicationLagging")));
        assertEquals(List.of(Duration.ZERO, "critical"), forAndSeverity(rules.get("BusDown")));
        assertEquals(new Condition.ClockSkew(Duration.ofSeconds(2), null), rules.get("ClockSkew").condition());
        assertEquals(36, rules.size());
    }

    private static List<Object> forAndSeverity(RuleDefinition rule) {
        return List.of(rule.forDuration(), rule.severity());
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        String broken = "rules:\n  - name: A\n    condition: {type: node-down\n    severity: critical\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("extra.yaml", broken));
        assertEquals("extra.yaml", e.file());
        assertEquals(4, e.line());
        assertTrue(e.reason().startsWith("YAML syntax"), e.reason());
    }

    @Test
    void meaningErrorsNameTheLineToo() {
        String unknownType = "rules:\n  - name: A\n    severity: warning\n    condition:\n      type: node-sideways\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml", unknownType));
        assertEquals(5, e.line());
        assertTrue(e.reason().contains("unknown condition type 'node-sideways'"), e.reason());

        String badFor = "rules:\n  - name: A\n    severity: warning\n    condition: {type: node-down}\n    for: soon\n";
        e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml", badFor));
        assertEquals(5, e.line());
        assertTrue(e.reason().contains("not a duration"), e.reason());

        String misspelt = "rules:\n  - name: A\n    severity: warning\n    condition: {type: node-down}\n    fro: 5m\n";
        e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml", misspelt));
        assertTrue(e.reason().contains("unknown key 'fro'"), e.reason());
    }

    @Test
    void brokenExtraFileKeepsThePreviousRules() throws IOException {
        RuleSet set = new RuleSet(shipped());
        set.loadExtra("extra.yaml", "rules:\n  - name: LoadHigh\n    severity: warning\n"
                + "    condition: {type: metric, metric: load.load1, op: \">\", value: 8}\n");
        List<RuleDefinition> before = set.active();
        assertEquals(shipped().size() + 1, before.size());
        RuleFileException e = assertThrows(RuleFileException.class,
                () -> set.loadExtra("extra.yaml", "rules:\n  - name: [oops\n"));
        assertEquals("extra.yaml", e.file());
        assertEquals(before, set.active());
        e = assertThrows(RuleFileException.class, () -> set.loadExtra("extra.yaml",
                "rules:\n  - name: NodeDown\n    severity: warning\n    condition: {type: node-down}\n"));
        assertEquals(2, e.line());
        assertEquals(before, set.active());
    }
}
