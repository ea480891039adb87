package net.goldentooth.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.events.api.InventoryView;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.api.JobSummary;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobState;
import org.junit.jupiter.api.Test;

class TablesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T15:10:00Z");

    @Test
    void statusShowsLivenessAgeAndHeadlineFactsMarkingStaleOnes() {
        NodeFacts facts = new NodeFacts("bettley", NOW.minusSeconds(12), 40, "0.1.0", null,
                Section.fresh(new NodeFacts.Network(List.of(), "eth0", "10.4.0.1"), NOW),
                Section.fresh(new NodeFacts.Thermal(48.71, null, null, null), NOW),
                new Section<>(new NodeFacts.Load(0.13, 0.17, 0.14, 4), true, "timed out", NOW),
                Section.fresh(new NodeFacts.Memory(4_000_000_000L, 2_480_000_000L, 0, 0), NOW),
                null, null, null, null, null);
        List<NodeView> nodes = List.of(
                new NodeView("fenn", "10.4.0.15", List.of("all"), true, false, null, null),
                new NodeView("bettley", "10.4.0.11", List.of("all"), true, true, NOW.minusSeconds(12), facts),
                new NodeView("laptop", null, List.of(), false, true, NOW.minusSeconds(7200), null));
        Capture out = new Capture();
        StatusTable.render(nodes, NOW, out.stream);
        assertEquals("""
                NODE     ADDRESS    LIVE  LAST SEEN  LOAD   MEM  TEMP   NIC   NOTE
                bettley  10.4.0.11  yes   12s        0.13*  38%  48.7C  eth0  stale: load
                fenn     10.4.0.15  no    never      -      -    -      -
                laptop   -          yes   2h         -      -    -      -     not in inventory
                """, out.text());
    }

    @Test
    void statusNotesASimulatedNode() {
        NodeFacts facts = new NodeFacts("bettley", NOW.minusSeconds(3), 7, "0.1.0", null, null, null,
                Section.fresh(new NodeFacts.Load(0.5, 0.4, 0.3, 2), NOW), null, null, null, null, null, null, null, true);
        Capture out = new Capture();
        StatusTable.render(List.of(new NodeView("bettley", "10.4.0.11", List.of("all"), true, true, NOW.minusSeconds(3),
                facts)), NOW, out.stream);
        assertEquals("""
                NODE     ADDRESS    LIVE  LAST SEEN  LOAD  MEM  TEMP  NIC  NOTE
                bettley  10.4.0.11  yes   3s         0.50  -    -     -    simulated
                """, out.text());
    }

    @Test
    void jobsTableAndPageLine() {
        JobSummary job = new JobSummary("01JDX", JobKind.COMMAND_ROOT, "all", "systemctl restart node_exporter",
                JobState.FAILED, "alice", NOW.minusSeconds(300), NOW.minusSeconds(290), 13,
                Map.of("succeeded", 12, "failed", 1));
        JobSummary multiLine = new JobSummary("01JDY", JobKind.COMMAND, "dalt", "bash -s\necho " + "x".repeat(80),
                JobState.RUNNING, "bob", NOW.minusSeconds(5), NOW, 1, null);
        JobPage page = new JobPage(List.of(multiLine, job), 20, 2, 57);
        Capture out = new Capture();
        JobsTable.render(page, NOW, out.stream);
        assertEquals("""
                JOB    STATE    KIND          PATTERN  TARGETS   AGE  COMMAND
                01JDY  running  command       dalt     0/1 ok    5s   bash -s\\necho %s...
                01JDX  failed   command_root  all      12/13 ok  5m   systemctl restart node_exporter
                """.formatted("x".repeat(43)), out.text());
        assertEquals("jobs 21-22 of 57", JobsTable.pageLine(page));
        assertEquals("no jobs (offset 0, 0 in total)", JobsTable.pageLine(new JobPage(List.of(), 0, 20, 0)));
    }

    @Test
    void inventoryGroupsAndNamesForCompletion() {
        InventoryView inventory = new InventoryView(
                Map.of("bettley", new InventoryView.Host("bettley", "10.4.0.11", List.of("all", "consul_server"), Map.of()),
                        "allyrion", new InventoryView.Host("allyrion", "10.4.0.10", List.of("all", "consul_server"), Map.of()),
                        "jast", new InventoryView.Host("jast", "10.4.0.19", List.of("all", "storage_nodes"), Map.of())),
                Map.of("all", List.of("jast", "bettley", "allyrion"),
                        "consul_server", List.of("bettley", "allyrion"),
                        "storage_nodes", List.of("jast")));
        Capture groups = new Capture();
        InventoryPrinter.groups(inventory, groups.stream);
        assertEquals("""
                all: allyrion bettley jast
                consul_server: allyrion bettley
                storage_nodes: jast
                """, groups.text());
        Capture names = new Capture();
        InventoryPrinter.names(inventory, names.stream);
        assertEquals("all\nconsul_server\nstorage_nodes\nallyrion\nbettley\njast\n", names.text());
    }
}
