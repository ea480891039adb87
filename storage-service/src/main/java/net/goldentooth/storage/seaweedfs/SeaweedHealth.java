package net.goldentooth.storage.seaweedfs;

import java.util.List;

/**
 * SeaweedFS cluster health from a master's {@code /cluster/status} and {@code /dir/status}.
 *
 * @param leader        the Raft leader ({@code host:port}); null when none is elected
 * @param peers         the masters the answering master knows
 * @param volumeServers volume servers ({@code url}) the topology lists
 */
public record SeaweedHealth(boolean isLeader, String leader, List<String> peers, List<String> volumeServers,
                            long freeVolumes, long maxVolumes) {

    public boolean hasLeader() {
        return leader != null && !leader.isBlank();
    }
}
