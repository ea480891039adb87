package net.goldentooth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import net.goldentooth.events.job.JobStatus;

/**
 * A {@link JobStatus} as the provisioner sent it, with the JSON tree kept: {@code --json} prints
 * the tree so fields newer than this CLI's copy of the records survive, and each target's
 * {@code lastSeq} (the highest progress seq folded into its output) is read from the tree.
 *
 * @param lastSeq per node; absent when the provisioner did not say
 */
public record JobSnapshot(JobStatus status, Map<String, Long> lastSeq, JsonNode json) {

    public static JobSnapshot of(ObjectMapper mapper, JsonNode json) throws java.io.IOException {
        JobStatus status = mapper.treeToValue(json, JobStatus.class);
        if (status == null || status.jobId() == null || status.state() == null) {
            throw new java.io.IOException("a job status needs jobId and state");
        }
        Map<String, Long> lastSeq = new HashMap<>();
        JsonNode targets = json.path("targets");
        targets.fields().forEachRemaining(entry -> {
            JsonNode seq = entry.getValue().path("lastSeq");
            if (seq.isIntegralNumber()) {
                lastSeq.put(entry.getKey(), seq.longValue());
            }
        });
        return new JobSnapshot(status, Map.copyOf(lastSeq), json);
    }
}
