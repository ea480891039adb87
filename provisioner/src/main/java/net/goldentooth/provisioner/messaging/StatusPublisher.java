package net.goldentooth.provisioner.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.jobs.StatusSink;

/** Sends job statuses on the compacted {@code job.status} topic, keyed by job id. */
public final class StatusPublisher implements StatusSink {

    private final EventPublisher publisher;

    public StatusPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public List<CompletableFuture<?>> publish(List<JobStatus> statuses) {
        List<CompletableFuture<?>> sent = new ArrayList<>(statuses.size());
        for (JobStatus status : statuses) {
            sent.add(publisher.publish(Topics.JOB_STATUS, status.jobId(), status));
        }
        return sent;
    }
}
