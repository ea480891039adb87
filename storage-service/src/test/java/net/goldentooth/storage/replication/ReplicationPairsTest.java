package net.goldentooth.storage.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.Recursion;
import net.goldentooth.storage.policy.SanoidConfig;
import net.goldentooth.storage.policy.SanoidConfigParser;
import org.junit.jupiter.api.Test;

/** Which pairs a section's replication run makes, from a parsed sanoid.conf and a dataset tree. */
class ReplicationPairsTest {

    static final List<String> TREE = List.of("rpool/data", "rpool/data/b", "rpool/data/a", "rpool/data/a/deep",
            "rpool/data/own");

    static SanoidConfig config(String recursive) {
        return SanoidConfigParser.parse("sanoid.conf", String.join("\n",
                "[rpool/data]",
                "\thourly = 36",
                "\tdaily = 30",
                "\trecursive = " + recursive,
                "[rpool/data/own]",
                "\thourly = 4",
                ""));
    }

    static List<String> describe(List<ReplicationPairs.Pair> pairs) {
        return pairs.stream().map(p -> p.dataset() + "->" + p.target() + ":" + p.targetDataset()).toList();
    }

    @Test
    void aRecursiveSectionReplicatesEachChildAsAPairOfItsOwnParentsFirst() {
        for (String recursive : List.of("yes", "zfs")) {
            SanoidConfig config = config(recursive);
            List<ReplicationPairs.Pair> pairs = ReplicationPairs.of(config.runFor("rpool/data", TREE),
                    List.of("gardener", "velaryon"), UnaryOperator.identity());
            assertEquals(List.of(
                    "rpool/data->gardener:rpool/data",
                    "rpool/data/a->gardener:rpool/data/a",
                    "rpool/data/b->gardener:rpool/data/b",
                    "rpool/data/a/deep->gardener:rpool/data/a/deep",
                    "rpool/data->velaryon:rpool/data",
                    "rpool/data/a->velaryon:rpool/data/a",
                    "rpool/data/b->velaryon:rpool/data/b",
                    "rpool/data/a/deep->velaryon:rpool/data/a/deep"), describe(pairs), "recursive = " + recursive);
        }
    }

    @Test
    void aChildWithItsOwnSectionIsReplicatedByThatSectionsRunAlone() {
        SanoidConfig config = config("yes");
        List<ReplicationPairs.Pair> parent = ReplicationPairs.of(config.runFor("rpool/data", TREE),
                List.of("gardener"), UnaryOperator.identity());
        assertFalse(describe(parent).stream().anyMatch(p -> p.startsWith("rpool/data/own")), describe(parent).toString());
        List<ReplicationPairs.Pair> own = ReplicationPairs.of(config.runFor("rpool/data/own", List.of("rpool/data/own")),
                List.of("gardener"), UnaryOperator.identity());
        assertEquals(List.of("rpool/data/own->gardener:rpool/data/own"), describe(own));
        assertEquals(4, own.get(0).receiving().retain(Period.HOURLY), "pruned on the target by its own section");
    }

    @Test
    void aSectionWithoutRecursionIsOnePairPerTarget() {
        SanoidConfig config = config("no");
        List<ReplicationPairs.Pair> pairs = ReplicationPairs.of(config.runFor("rpool/data", TREE),
                List.of("gardener"), UnaryOperator.identity());
        assertEquals(List.of("rpool/data->gardener:rpool/data"), describe(pairs));
    }

    @Test
    void childrenKeepTheirPathUnderTheTargetsPool() {
        UnaryOperator<String> otherPool = d -> "tank" + d.substring(d.indexOf('/'));
        List<ReplicationPairs.Pair> pairs = ReplicationPairs.of(config("zfs").runFor("rpool/data", TREE),
                List.of("gardener"), otherPool);
        assertEquals("tank/data/a/deep", pairs.get(3).targetDataset());
        assertEquals("tank/data/a/deep", pairs.get(3).receiving().dataset());
    }

    @Test
    void targetsArePrunedByEachDatasetsRetentionWithoutTakingSnapshotsOrRecursing() {
        DatasetPolicy section = config("yes").runFor("rpool/data", TREE).get(0);
        assertTrue(section.autosnap() && section.recursion() == Recursion.DATASETS);
        for (ReplicationPairs.Pair pair : ReplicationPairs.of(config("yes").runFor("rpool/data", TREE),
                List.of("gardener"), UnaryOperator.identity())) {
            assertFalse(pair.receiving().autosnap(), pair.toString());
            assertEquals(Recursion.NONE, pair.receiving().recursion(), pair.toString());
            assertEquals(36, pair.receiving().retain(Period.HOURLY));
            assertEquals(30, pair.receiving().retain(Period.DAILY));
            assertEquals(pair.policy().autoprune(), pair.receiving().autoprune());
        }
    }
}
