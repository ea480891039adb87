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
 * @param recursive the policy applies to child datasets too
 */
public record DatasetPolicy(String dataset, Map<Period, Integer> retain, boolean autosnap,
                            boolean autoprune, boolean recursive, Schedule schedule) {

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

    /** The same policy for another dataset (a child of a recursive section). */
    public DatasetPolicy forDataset(String child) {
        return new DatasetPolicy(child, retain, autosnap, autoprune, recursive, schedule);
    }
}
