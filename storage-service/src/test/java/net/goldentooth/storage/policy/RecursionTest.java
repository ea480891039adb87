package net.goldentooth.storage.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which datasets a section's run plans, and with which policy: sanoid's {@code recursive} semantics. */
class RecursionTest {

    private static final List<String> TREE = List.of("tank/data", "tank/data/a", "tank/data/a/deep", "tank/data/b",
            "tank/data/own", "tank/data/own/below");

    private static SanoidConfig parse(String recursive) {
        return SanoidConfigParser.parse("sanoid.conf", """
                [tank/data]
                \thourly = 5
                \tdaily = 2
                \trecursive = %s
                [tank/data/own]
                \thourly = 1
                \trecursive = yes
                """.formatted(recursive));
    }

    @Test
    void recursiveYesPlansEveryChildOnItsOwnWithTheParentsPolicy() {
        List<DatasetPolicy> run = parse("yes").runFor("tank/data", TREE);
        assertEquals(List.of("tank/data", "tank/data/a", "tank/data/a/deep", "tank/data/b"),
                run.stream().map(DatasetPolicy::dataset).toList(), "the child with its own section is its own run");
        for (DatasetPolicy child : run.subList(1, run.size())) {
            assertEquals(5, child.retain(Period.HOURLY));
            assertEquals(2, child.retain(Period.DAILY));
            assertTrue(child.autosnap(), child.dataset() + " takes its own snapshots");
            assertEquals(Recursion.NONE, child.recursion(), "no zfs -r below the section");
        }
        assertEquals(Recursion.DATASETS, run.get(0).recursion());
    }

    @Test
    void recursiveZfsTakesOnceWithMinusRAndPrunesEveryChildOnItsOwn() {
        SanoidConfig config = parse("zfs");
        List<DatasetPolicy> run = config.runFor("tank/data", TREE);
        assertEquals(Recursion.ZFS, run.get(0).recursion(), "the parent's snapshot is zfs snapshot -r");
        assertTrue(run.get(0).autosnap());
        assertEquals(4, run.size());
        for (DatasetPolicy child : run.subList(1, run.size())) {
            assertFalse(child.autosnap(), child.dataset() + ": the recursive snapshot takes it");
            assertTrue(child.autoprune());
            assertEquals(5, child.retain(Period.HOURLY));
        }
        // A section of its own below a zfs recursion keeps its retention but takes no snapshots (sanoid ignores
        // its autosnap), and its own recursive = yes children follow suit.
        List<DatasetPolicy> own = config.runFor("tank/data/own", TREE);
        assertEquals(List.of("tank/data/own", "tank/data/own/below"), own.stream().map(DatasetPolicy::dataset).toList());
        assertTrue(own.stream().noneMatch(DatasetPolicy::autosnap));
        assertEquals(1, own.get(1).retain(Period.HOURLY));
    }

    @Test
    void recursiveNoPlansTheDatasetAlone() {
        assertEquals(List.of("tank/data"), parse("no").runFor("tank/data", TREE).stream()
                .map(DatasetPolicy::dataset).toList());
    }
}
