package net.goldentooth.monitor.dashboard;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.alert.AlertState;

/** Everything the dashboard draws, sent whole over SSE so a client never has to merge. */
public record Snapshot(Instant at, List<NodeTile> nodes, List<AlertState> alerts, List<CertRow> certificates,
                       List<JobRow> jobs) {

    /** @param notAfter expiry of the lineage's newest certificate */
    public record CertRow(String lineage, String node, String service, Instant notAfter, String tier,
                          boolean renewalFailing) {
    }

    public record JobRow(String jobId, String kind, String pattern, String state, Instant updatedAt,
                         int targets, int succeeded) {
    }
}
