package net.goldentooth.provisioner.messaging;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;

/**
 * The provisioner's consumers. Each decodes and hands the event on; poison goes to
 * {@code <topic>.dlq} through {@link ConsumerLoop}.
 */
public final class ProvisionerConsumers {

    /** The consumer group of the progress and request consumers. */
    public static final String GROUP = "provisioner";

    private final String bootstrap;
    private final EventPublisher deadLetters;
    private final ConsumerLoop.DeadLetterListener deadLetterListener;

    public ProvisionerConsumers(String bootstrap, EventPublisher deadLetters,
                                ConsumerLoop.DeadLetterListener deadLetterListener) {
        this.bootstrap = bootstrap;
        this.deadLetters = deadLetters;
        this.deadLetterListener = deadLetterListener;
    }

    /** Reads {@code job.status} to its current end: the job table as last published. */
    public long replayStatuses(Consumer<JobStatus> restore) {
        return ConsumerLoop.replay(bootstrap, Topics.JOB_STATUS, JobStatus.class, "provisioner-replay",
                d -> restore.accept(d.event()));
    }

    /**
     * {@code job.progress} in group {@code provisioner}; {@code afterBatch} runs before each commit and
     * must make what the batch changed durable (publish and flush the statuses).
     */
    public ConsumerLoop<JobProgress> progress(Consumer<JobProgress> fold, Runnable afterBatch) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                .group(GROUP)
                .clientId("provisioner-progress")
                .afterBatch(afterBatch)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> fold.accept(d.event()))
                .start();
    }

    /** {@code job.requested} in group {@code provisioner}; a request that fails validation is dead-lettered. */
    public ConsumerLoop<JobRequest> requests(Consumer<JobRequest> submit) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_REQUESTED, JobRequest.class)
                .group(GROUP)
                .clientId("provisioner-requests")
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> submit.accept(d.event()))
                .start();
    }

    /** Every partition of the compacted {@code node.facts}, from the beginning, without a group. */
    public ConsumerLoop<NodeFacts> facts(Consumer<NodeFacts> record) {
        int partitions = Topics.CATALOGUE.stream().filter(t -> t.name().equals(Topics.NODE_FACTS))
                .findFirst().orElseThrow().partitions();
        List<Integer> all = IntStream.range(0, partitions).boxed().toList();
        return ConsumerLoop.builder(bootstrap, Topics.NODE_FACTS, NodeFacts.class)
                .clientId("provisioner-facts")
                .assign(all)
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> record.accept(d.event()))
                .start();
    }
}
