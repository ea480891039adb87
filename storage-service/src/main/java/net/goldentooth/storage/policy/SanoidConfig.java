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
}
