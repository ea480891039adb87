package net.goldentooth.monitor.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.monitor.inventory.InventoryHost;
import org.junit.jupiter.api.Test;

class LogQueryTest {

    private static final Map<String, InventoryHost> INVENTORY = Map.of(
            "bettley", new InventoryHost("bettley", "10.4.0.11", Set.of("all", "k8s_control_plane")),
            "cargyll", new InventoryHost("cargyll", "10.4.0.12", Set.of("all", "k8s_control_plane")),
            "fenn", new InventoryHost("fenn", "10.4.0.15", Set.of("all", "k8s_worker")));

    private static LogEntry line(String node, String unit, String identifier, int priority, String message, String time) {
        return new LogEntry(node, "journal", unit, identifier, priority, message, Instant.parse(time), null, null, null,
                "c", null, null);
    }

    @Test
    void patternsSelectNodesAsAnsibleDoes() {
        NodeSelection control = NodeSelection.parse("k8s_control_plane", INVENTORY);
        assertTrue(control.matches("bettley"));
        assertFalse(control.matches("fenn"));
        assertEquals(Set.of("k8s_control_plane", "bettley", "cargyll"), control.exactNodes().orElseThrow());
        NodeSelection all = NodeSelection.parse("all", INVENTORY);
        assertTrue(all.matches("not-in-the-inventory"), "a node that ships logs is found by all");
        assertTrue(all.exactNodes().isEmpty());
        NodeSelection glob = NodeSelection.parse("b*,fenn", INVENTORY);
        assertTrue(glob.matches("bettley") && glob.matches("fenn") && !glob.matches("cargyll"));
        NodeSelection exclude = NodeSelection.parse("all:!k8s_worker", INVENTORY);
        assertTrue(exclude.matches("cargyll") && !exclude.matches("fenn"));
        NodeSelection intersect = NodeSelection.parse("k8s_*:&cargyll", INVENTORY);
        assertTrue(intersect.matches("cargyll") && !intersect.matches("bettley"));
        assertTrue(NodeSelection.parse("c[a-z]rgyll", INVENTORY).matches("cargyll"));
        assertTrue(NodeSelection.parse("[!b]enn", INVENTORY).matches("fenn"));
        assertFalse(NodeSelection.parse("[!f]enn", INVENTORY).matches("fenn"), "a glob matches groups too, as in Ansible");
        assertThrows(IllegalArgumentException.class, () -> NodeSelection.parse("a,,b", INVENTORY));
        assertThrows(IllegalArgumentException.class, () -> NodeSelection.parse(" ", INVENTORY));
    }

    @Test
    void unitsPrioritiesTimesAndGrepFilterAsJournalctlDoes() {
        LogQuery query = LogQuery.parse(NodeSelection.parse("all", INVENTORY), List.of("ssh.service", "kernel"),
                "warning", "2026-12-07T02:00:00Z", "2026-12-07T03:00:00Z", "failed password", null);
        assertTrue(query.matches(line("fenn", "ssh", "sshd", 4, "Failed password for root", "2026-12-07T02:30:00Z")));
        assertFalse(query.matches(line("fenn", "ssh", "sshd", 6, "Failed password for root", "2026-12-07T02:30:00Z")),
                "info is below warning");
        assertFalse(query.matches(line("fenn", "ssh", "sshd", 4, "Failed password for root", "2026-12-07T03:00:01Z")));
        assertFalse(query.matches(line("fenn", "ssh", "sshd", 4, "Accepted publickey", "2026-12-07T02:30:00Z")));
        assertTrue(query.matches(line("fenn", null, "kernel", 2, "FAILED PASSWORD?", "2026-12-07T02:30:00Z")),
                "a line without a unit is found by its identifier; a lower-case pattern ignores case");
        LogQuery caseSensitive = LogQuery.parse(NodeSelection.parse("all", INVENTORY), List.of(), null, null, null,
                "Failed", null);
        assertFalse(caseSensitive.matches(line("fenn", "ssh", "sshd", 4, "failed", "2026-12-07T02:30:00Z")));
    }

    @Test
    void badParametersSayWhich() {
        NodeSelection all = NodeSelection.parse("all", INVENTORY);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(all, List.of(), "loud", null, null,
                null, null)).getMessage().contains("'priority'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(all, List.of(), null, "yesterday",
                null, null, null)).getMessage().contains("'since'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(all, List.of(), null,
                "2026-12-07T03:00:00Z", "2026-12-07T02:00:00Z", null, null)).getMessage().contains("before"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(all, List.of(), null, null, null,
                "(unclosed", null)).getMessage().contains("'grep'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(all, List.of(), null, null, null,
                null, -1)).getMessage().contains("'n'"));
    }
}
