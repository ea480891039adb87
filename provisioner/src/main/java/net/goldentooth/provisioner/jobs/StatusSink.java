package net.goldentooth.provisioner.jobs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.job.JobStatus;

/** Where job statuses go: {@code job.status}, keyed by job id. */
public interface StatusSink {

    /** Sends without waiting; one future per status, completed when the broker acknowledged it. */
    List<CompletableFuture<?>> publish(List<JobStatus> statuses);
}
