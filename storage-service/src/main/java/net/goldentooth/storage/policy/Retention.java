package net.goldentooth.storage.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sanoid's retention rule, per period: "daily = 30" means no daily older than 30 days is kept,
 * and no daily is removed while 30 or fewer remain. Snapshots of a period are considered oldest
 * first; one is pruned when it is older than {@code now - count × period} and more than
 * {@code count} of that period remain. Only {@code autosnap_} snapshots are ever pruned.
 */
public final class Retention {

    private Retention() {
    }

    /** The names retention would destroy, oldest first within each period. */
    public static Set<String> prunable(List<Snapshot> snapshots, DatasetPolicy policy, Instant now) {
        Set<String> prune = new LinkedHashSet<>();
        if (!policy.autoprune()) {
            return prune;
        }
        Map<Period, List<Snapshot>> byPeriod = new EnumMap<>(Period.class);
        for (Snapshot snapshot : snapshots) {
            snapshot.period().ifPresent(p -> byPeriod.computeIfAbsent(p, k -> new ArrayList<>()).add(snapshot));
        }
        long nowSeconds = now.getEpochSecond();
        byPeriod.forEach((period, list) -> {
            list.sort(Comparator.comparing(Snapshot::created));
            int keep = policy.retain(period);
            long maxAge = nowSeconds - keep * period.pruneSeconds(policy.schedule().frequentPeriodMinutes());
            int remaining = list.size();
            for (Snapshot snapshot : list) {
                if (snapshot.created().getEpochSecond() < maxAge && remaining > keep) {
                    prune.add(snapshot.name());
                    remaining--;
                }
            }
        });
        return prune;
    }
}
