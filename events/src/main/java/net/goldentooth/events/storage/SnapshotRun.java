package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One snapshot run on one dataset, its plan and outcome, on the compacted {@code storage.snapshots}
 * topic (key: {@code <node>:<dataset>}).
 *
 * @param node         the node owning the dataset
 * @param toTake       planned snapshot names (the part after {@code @})
 * @param toDestroy    planned destructions
 * @param kept         past retention but kept, each with its reason
 * @param taken        what was created
 * @param destroyed    what was destroyed
 * @param errors       one line per failed command
 * @param counts       snapshots per sanoid period after the run ({@code hourly} → 36)
 * @param newest       the newest snapshot after the run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotRun(
        String runId,
        String node,
        String dataset,
        Instant plannedAt,
        Instant finishedAt,
        SnapshotRunOutcome outcome,
        List<String> toTake,
        List<String> toDestroy,
        List<KeptSnapshot> kept,
        List<String> taken,
        List<String> destroyed,
        List<String> errors,
        Map<String, Integer> counts,
        String newest) {

    public static String key(String node, String dataset) {
        return node + ":" + dataset;
    }
}
