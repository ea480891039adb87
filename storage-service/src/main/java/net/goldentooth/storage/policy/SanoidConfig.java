package net.goldentooth.storage.policy;

import java.util.List;
import java.util.Optional;

/** A parsed {@code sanoid.conf}: one resolved policy per dataset section, in file order. */
public record SanoidConfig(String file, List<DatasetPolicy> datasets) {

    public SanoidConfig {
        datasets = List.copyOf(datasets);
    }

    /**
     * The policy governing {@code dataset}: its own section, else the nearest ancestor section
     * marked {@code recursive}.
     */
    public Optional<DatasetPolicy> policyFor(String dataset) {
        DatasetPolicy best = null;
        for (DatasetPolicy policy : datasets) {
            if (policy.dataset().equals(dataset)) {
                return Optional.of(policy);
            }
            if (policy.recursive() && dataset.startsWith(policy.dataset() + "/")
                    && (best == null || policy.dataset().length() > best.dataset().length())) {
                best = policy;
            }
        }
        return Optional.ofNullable(best).map(p -> p.forDataset(dataset));
    }

    /**
     * The datasets one section's run plans, each with its own policy, the section's dataset first.
     * {@code tree} is the section's dataset and its descendants as {@code zfs list -r} names them.
     * As in sanoid: with {@code recursive = yes} every descendant is snapshotted and pruned on its
     * own; with {@code recursive = zfs} the section's {@code zfs snapshot -r} takes the descendants'
     * snapshots and each is pruned on its own. A descendant with a section of its own (or below
     * one) belongs to that section's run instead, and a section below a {@code recursive = zfs}
     * one takes no snapshots itself (sanoid ignores its autosnap: the recursive snapshot does it).
     */
    public List<DatasetPolicy> runFor(String dataset, List<String> tree) {
        DatasetPolicy own = datasets.stream().filter(p -> p.dataset().equals(dataset)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section [" + dataset + "] in " + file));
        boolean underZfsRecursion = datasets.stream().anyMatch(p -> p.recursion() == Recursion.ZFS
                && isBelow(dataset, p.dataset()));
        List<DatasetPolicy> run = new java.util.ArrayList<>();
        run.add(underZfsRecursion ? new DatasetPolicy(dataset, own.retain(), false, own.autoprune(), own.recursion(),
                own.schedule()) : own);
        if (own.recursion() == Recursion.NONE) {
            return List.copyOf(run);
        }
        for (String child : tree) {
            if (!isBelow(child, dataset) || hasOwnSection(child, dataset)) {
                continue;
            }
            run.add(own.member(child, own.recursion() == Recursion.DATASETS && own.autosnap()
                    && !underZfsRecursion));
        }
        return List.copyOf(run);
    }

    /** A section other than {@code section} governs {@code child}: its own, or one between the two. */
    private boolean hasOwnSection(String child, String section) {
        return datasets.stream().map(DatasetPolicy::dataset)
                .anyMatch(d -> isBelow(d, section) && (d.equals(child) || isBelow(child, d)));
    }

    private static boolean isBelow(String dataset, String ancestor) {
        return dataset.startsWith(ancestor + "/");
    }
}
