package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import org.junit.jupiter.api.Test;

/** The storage conditions and the shipped storage rules, over storage-service's states, with a stepped clock. */
class StorageConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static ReplicationStatus pair(String target, ReplicationState state, long lagSeconds) {
        return new ReplicationStatus("rpool/data", "allyrion", target, state, "autosnap_a", "autosnap_b", 3, lagSeconds,
                0, null, T0, null);
    }

    private static CapacityStatus fs(String mount, CapacityLevel level, double percent) {
        return new CapacityStatus("allyrion", mount, "rpool", "zfs", 100, (long) percent, percent, level, T0);
    }

    private static Observations storage(List<ReplicationStatus> pairs, List<CapacityStatus> filesystems) {
        return new Observations(Map.of(), Map.of(), List.of(), pairs, filesystems);
    }

    private static Optional<AlertState> find(AlertTable table, String alertName, String label, String value) {
        return table.states().stream()
                .filter(s -> s.alertName().equals(alertName) && value.equals(s.labels().get(label))).findFirst();
    }

    @Test
    void divergedMatchesOnlyDivergedPairsAndLaggingSkipsThem() {
        Observations o = storage(List.of(pair("gardener", ReplicationState.DIVERGED, 9000),
                pair("velaryon", ReplicationState.FAILED, 3600), pair("inchfield", ReplicationState.IN_SYNC, 0),
                pair("jast", ReplicationState.BEHIND, 3599)), List.of());
        List<Match> diverged = new Condition.ReplicationDiverged().matches(o, T0);
        assertEquals(List.of(Map.of("dataset", "rpool/data", "target", "gardener", "source", "allyrion")),
                diverged.stream().map(Match::subject).toList());
        List<Match> lagging = new Condition.ReplicationLagging(Duration.ofHours(1)).matches(o, T0);
        assertEquals(List.of("velaryon"), lagging.stream().map(m -> m.subject().get("target")).toList());
        assertEquals(3600.0, lagging.get(0).value());
    }

    @Test
    void capacityLevelsMatchTheirOwnLevelOnly() {
        Observations o = storage(List.of(), List.of(fs("/rpool", CapacityLevel.CRITICAL, 93),
                fs("/", CapacityLevel.WARNING, 81), fs("/boot", CapacityLevel.OK, 20)));
        assertEquals(List.of("/rpool"), new Condition.CapacityLevelReached(CapacityLevel.CRITICAL).matches(o, T0)
                .stream().map(m -> m.subject().get("mountpoint")).toList());
        assertEquals(List.of("/"), new Condition.CapacityLevelReached(CapacityLevel.WARNING).matches(o, T0)
                .stream().map(m -> m.subject().get("mountpoint")).toList());
        assertThrows(IllegalArgumentException.class, () -> new Condition.CapacityLevelReached(CapacityLevel.OK));
    }

    @Test
    void shippedStorageRulesFireAfterTheirForAndResolve() throws IOException {
        List<RuleDefinition> rules = RuleFileParserTest.shipped();
        AlertTable table = new AlertTable(Duration.ofMinutes(15));
        Observations bad = storage(List.of(pair("gardener", ReplicationState.DIVERGED, 0),
                pair("velaryon", ReplicationState.FAILED, 2 * 3600)), List.of(fs("/rpool", CapacityLevel.CRITICAL, 92),
                fs("/", CapacityLevel.WARNING, 85)));
        table.evaluate(rules, bad, T0);
        assertEquals(AlertPhase.FIRING, find(table, "ReplicationDiverged", "target", "gardener").orElseThrow().phase());
        assertEquals("critical", find(table, "ReplicationDiverged", "target", "gardener").orElseThrow().severity());
        assertEquals(AlertPhase.PENDING, find(table, "ReplicationLagging", "target", "velaryon").orElseThrow().phase());
        assertEquals(AlertPhase.PENDING, find(table, "PoolCapacityCritical", "mountpoint", "/rpool").orElseThrow().phase());

        table.evaluate(rules, bad, T0.plus(Duration.ofMinutes(1)));
        assertEquals(AlertPhase.FIRING, find(table, "PoolCapacityCritical", "mountpoint", "/rpool").orElseThrow().phase());
        assertEquals(AlertPhase.PENDING, find(table, "PoolCapacityHigh", "mountpoint", "/").orElseThrow().phase());
        // The critical pool raises the critical rule only, not the warning one too.
        assertTrue(find(table, "PoolCapacityHigh", "mountpoint", "/rpool").isEmpty());

        table.evaluate(rules, bad, T0.plus(Duration.ofMinutes(15)));
        assertEquals(AlertPhase.FIRING, find(table, "ReplicationLagging", "target", "velaryon").orElseThrow().phase());
        assertEquals(AlertPhase.FIRING, find(table, "PoolCapacityHigh", "mountpoint", "/").orElseThrow().phase());

        Observations repaired = storage(List.of(pair("gardener", ReplicationState.IN_SYNC, 0),
                pair("velaryon", ReplicationState.IN_SYNC, 0)), List.of(fs("/rpool", CapacityLevel.OK, 50),
                fs("/", CapacityLevel.OK, 50)));
        table.evaluate(rules, repaired, T0.plus(Duration.ofMinutes(16)));
        for (String name : List.of("ReplicationDiverged", "ReplicationLagging", "PoolCapacityCritical", "PoolCapacityHigh")) {
            assertTrue(table.states().stream().filter(s -> s.alertName().equals(name))
                    .allMatch(s -> s.phase() == AlertPhase.RESOLVED), name + " resolved");
        }
    }

    @Test
    void ruleFileSpellingsOfTheStorageConditions() {
        String bad = "rules:\n  - name: A\n    severity: warning\n    condition: {type: capacity-level, level: ok}\n";
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml", bad));
        assertTrue(e.reason().contains("level 'ok' must be warning or critical"), e.reason());
        String noLag = "rules:\n  - name: A\n    severity: warning\n    condition: {type: replication-lagging}\n";
        e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml", noLag));
        assertTrue(e.reason().contains("lag"), e.reason());
    }
}
