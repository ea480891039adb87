package net.goldentooth.storage.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import net.goldentooth.storage.policy.DatasetPolicy;
import net.goldentooth.storage.policy.Recursion;

/**
 * Which dataset × target pairs one replication run of a sanoid section replicates, in order.
 *
 * <p>A section's run replicates the same datasets its snapshot run plans
 * ({@link net.goldentooth.storage.policy.SanoidConfig#runFor}): the section's dataset and, for
 * {@code recursive = yes|zfs}, each descendant that has no section of its own. Every one is a
 * pair of its own, as syncoid's {@code --recursive} sends each child on its own: its own common
 * base, cursor, hold, lag and state on {@code storage.replication}. A child missing on a target
 * is created there by a full send of that child (the replicator's full-then-incremental path),
 * which needs its parent on the target first: pairs are ordered parents before children (by depth,
 * then name), target by target in topology order.
 */
public final class ReplicationPairs {

    /**
     * One pair.
     *
     * @param policy        the dataset's policy on the source (a child's is its section's, per dataset)
     * @param targetDataset where the target receives it
     * @param receiving     the policy the target is pruned by after a successful run: the same
     *                      retention, never taking snapshots there (they are received), no recursion
     *                      (each child is its own pair and pruned as one)
     */
    public record Pair(DatasetPolicy policy, String target, String targetDataset, DatasetPolicy receiving) {

        public String dataset() {
            return policy.dataset();
        }
    }

    private ReplicationPairs() {
    }

    /**
     * @param members       the section's run, {@code SanoidConfig.runFor(section, tree)}
     * @param targets       the targets to replicate to, in order
     * @param targetDataset maps a source dataset to its name on the targets
     */
    public static List<Pair> of(List<DatasetPolicy> members, List<String> targets, UnaryOperator<String> targetDataset) {
        List<DatasetPolicy> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparingLong((DatasetPolicy p) -> depth(p.dataset())).thenComparing(DatasetPolicy::dataset));
        List<Pair> pairs = new ArrayList<>();
        for (String target : targets) {
            for (DatasetPolicy policy : ordered) {
                String onTarget = targetDataset.apply(policy.dataset());
                pairs.add(new Pair(policy, target, onTarget, new DatasetPolicy(onTarget, policy.retain(), false,
                        policy.autoprune(), Recursion.NONE, policy.schedule())));
            }
        }
        return List.copyOf(pairs);
    }

    private static long depth(String dataset) {
        return dataset.chars().filter(c -> c == '/').count();
    }
}
