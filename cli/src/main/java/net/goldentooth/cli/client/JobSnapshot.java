package net.goldentooth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import net.goldentooth.events.job.JobStatus;

/**
 * A {@link JobStatus} as the provisioner sent it, with the JSON tree kept: {@code --json} prints
 * the tree, so fields newer than this CLI's copy of the records survive.
 */
public record JobSnapshot(JobStatus status, JsonNode json) {

    public static JobSnapshot of(ObjectMapper mapper, JsonNode json) throws IOException {
        JobStatus status = mapper.treeToValue(json, JobStatus.class);
        if (status == null || status.jobId() == null || status.state() == null) {
            throw new IOException("a job status needs jobId and state");
        }
        return new JobSnapshot(status, json);
    }
}
