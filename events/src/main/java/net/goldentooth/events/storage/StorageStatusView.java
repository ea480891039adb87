package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /storage/status} of the storage-service: per dataset its last snapshot run and the
 * state of each replication target.
 *
 * @param source  the node owning the datasets (first host of the ZFS group)
 * @param targets the replication targets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageStatusView(String source, List<String> targets, List<DatasetView> datasets) {

    /**
     * @param lastRun     the last snapshot run (counts per period, newest, errors); null before the first
     * @param replication one status per target, in target order; a target not yet run is {@code idle}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetView(String dataset, SnapshotRun lastRun, List<ReplicationStatus> replication) {
    }
}
