package net.goldentooth.provisioner.messaging;

import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.jobs.ProgressSink;
import org.jboss.logging.Logger;

/**
 * Sends the progress of the provisioner's own runs (playbooks, the Kubernetes upgrade, SSH tasks)
 * on {@code job.progress}, keyed by job id, as an agent does. A record that is not delivered is
 * logged; its target then ends by the usual deadlines.
 */
public final class ProgressPublisher implements ProgressSink {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final EventPublisher publisher;

    public ProgressPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(JobProgress progress) {
        publisher.publish(Topics.JOB_PROGRESS, progress.jobId(), progress).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "job %s: progress seq %d of the provisioner's own run was not delivered",
                        progress.jobId(), progress.seq());
            }
        });
    }
}
