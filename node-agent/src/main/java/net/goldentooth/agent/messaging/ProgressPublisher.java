package net.goldentooth.agent.messaging;

import java.time.Clock;
import net.goldentooth.agent.tasks.execution.ProgressSink;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;

/**
 * Sends progress records to {@code job.progress} through the {@link Outbox} (kept in order through
 * a network cut, within its bound), with the source {@code //node-agent/<node>} of the task's node.
 */
public final class ProgressPublisher implements ProgressSink {

    private final Outbox outbox;
    private final String fallbackNode;
    private final Clock clock;

    /** @param fallbackNode the source node when a rejected record names none */
    public ProgressPublisher(Outbox outbox, String fallbackNode, Clock clock) {
        this.outbox = outbox;
        this.fallbackNode = fallbackNode;
        this.clock = clock;
    }

    @Override
    public void emit(String key, JobProgress progress) {
        String node = progress.node() != null ? progress.node() : fallbackNode;
        boolean last = progress.kind() == ProgressKind.FINISHED || progress.kind() == ProgressKind.REJECTED;
        outbox.progress(key, EventCodec.encode(progress),
                CloudEventHeaders.forEvent(Topics.JOB_PROGRESS, AgentSources.of(node), clock.instant()), last,
                () -> progress.kind() + " #" + progress.seq() + " of task " + progress.taskId());
    }
}
