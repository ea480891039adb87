package net.goldentooth.storage.seaweedfs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.goldentooth.events.storage.SeaweedStatus;

/**
 * Turns successive health answers into events: a status is published when the leader changes
 * (naming the previous one) or the cluster turns healthy or unhealthy, not on every poll. The seed
 * called a leader "flapping every 3 seconds" healthy (seed line 11406); here each flap is visible.
 */
public final class LeaderTracker {

    public static final String CLUSTER = "seaweedfs";

    private SeaweedStatus last;

    public synchronized Optional<SeaweedStatus> observe(SeaweedHealthClient.Answer answer, Instant now) {
        SeaweedStatus next;
        if (answer.health() == null) {
            next = new SeaweedStatus(CLUSTER, false, null, leader(), List.of(), List.of(), 0, 0, null,
                    answer.error(), now);
        } else {
            SeaweedHealth h = answer.health();
            String leader = h.hasLeader() ? h.leader() : null;
            boolean healthy = leader != null && !h.volumeServers().isEmpty();
            next = new SeaweedStatus(CLUSTER, healthy, leader,
                    Objects.equals(leader, leader()) && last != null ? last.previousLeader() : leader(),
                    h.peers(), h.volumeServers(), h.freeVolumes(), h.maxVolumes(), answer.answeredBy(),
                    healthy ? null : (leader == null ? "Leader not selected yet" : "no volume servers"), now);
        }
        boolean changed = last == null || last.healthy() != next.healthy()
                || !Objects.equals(last.leader(), next.leader());
        if (changed) {
            last = next;
            return Optional.of(next);
        }
        return Optional.empty();
    }

    private String leader() {
        return last == null ? null : last.leader();
    }
}
