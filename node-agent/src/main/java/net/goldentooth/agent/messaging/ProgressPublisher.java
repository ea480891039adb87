package net.goldentooth.agent.messaging;

import java.time.Clock;
import net.goldentooth.agent.tasks.execution.ProgressSink;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.kafka.EventPublisher;
import org.jboss.logging.Logger;

/** Sends progress records to {@code job.progress}, with the source {@code //node-agent/<node>} of the task's node. */
public final class ProgressPublisher implements ProgressSink {

    private static final Logger LOG = Logger.getLogger(ProgressPublisher.class);

    private final EventPublisher publisher;
    private final String fallbackNode;
    private final Clock clock;

    /** @param fallbackNode the source node when a rejected record names none */
    public ProgressPublisher(EventPublisher publisher, String fallbackNode, Clock clock) {
        this.publisher = publisher;
        this.fallbackNode = fallbackNode;
        this.clock = clock;
    }

    @Override
    public void emit(String key, JobProgress progress) {
        String node = progress.node() != null ? progress.node() : fallbackNode;
        publisher.publishRaw(Topics.JOB_PROGRESS, key, EventCodec.encode(progress),
                        CloudEventHeaders.forEvent(Topics.JOB_PROGRESS, AgentSources.of(node), clock.instant()))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "could not publish %s #%d of task %s", progress.kind(), progress.seq(),
                                progress.taskId());
                    }
                });
    }
}
