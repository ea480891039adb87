package net.goldentooth.events.storage;

import java.time.Instant;
import java.util.List;

/** {@code GET /storage/plan/{dataset}}: what a snapshot run would take and destroy now (a dry run). */
public record SnapshotPlanView(String node, String dataset, Instant plannedAt, List<String> take,
                               List<String> destroy, List<KeptSnapshot> kept) {
}
