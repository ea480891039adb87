package net.goldentooth.storage.policy;

import java.util.EnumMap;
import java.util.Map;

/**
 * The resolved policy of one dataset: sanoid's defaults, then {@code template_default}, then the
 * templates named by {@code use_template} in order, then the section's own keys.
 *
 * @param dataset   the ZFS dataset (the section name)
 * @param retain    how many snapshots of each period to keep (0 = none taken, all pruned)
 * @param autosnap  take snapshots
 * @param autoprune prune snapshots
 * @param recursion what the policy does to child datasets
 */
public record DatasetPolicy(String dataset, Map<Period, Integer> retain, boolean autosnap,
                            boolean autoprune, Recursion recursion, Schedule schedule) {

    public DatasetPolicy {
        EnumMap<Period, Integer> copy = new EnumMap<>(Period.class);
        for (Period period : Period.values()) {
            copy.put(period, retain.getOrDefault(period, 0));
        }
        retain = java.util.Collections.unmodifiableMap(copy);
    }

    public int retain(Period period) {
        return retain.get(period);
    }

    /** The policy reaches child datasets. */
    public boolean recursive() {
        return recursion != Recursion.NONE;
    }

    /** The same policy for another dataset (a child of a recursive section). */
    public DatasetPolicy forDataset(String child) {
        return new DatasetPolicy(child, retain, autosnap, autoprune, recursion, schedule);
    }

    /**
     * The policy one child gets inside its recursive parent's run: the same retention, planned as a
     * dataset of its own (no recursion of its own), taking snapshots itself only when told to.
     */
    public DatasetPolicy member(String child, boolean takesSnapshots) {
        return new DatasetPolicy(child, retain, takesSnapshots, autoprune, Recursion.NONE, schedule);
    }
}
