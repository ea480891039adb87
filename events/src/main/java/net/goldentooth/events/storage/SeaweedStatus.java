package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The SeaweedFS cluster as its masters report it, on the compacted {@code storage.seaweedfs}
 * topic (key: the cluster, {@code seaweedfs}); published when the leader or the health changes.
 *
 * @param leader         the Raft leader ({@code host:port}); null while none is elected
 * @param previousLeader the leader before this change (a leader change is an event); null if none
 * @param answeredBy     the master URL that answered
 * @param error          why no master answered; null when one did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeaweedStatus(String cluster, boolean healthy, String leader, String previousLeader,
                            List<String> peers, List<String> volumeServers, long freeVolumes, long maxVolumes,
                            String answeredBy, String error, Instant observedAt) {
}
