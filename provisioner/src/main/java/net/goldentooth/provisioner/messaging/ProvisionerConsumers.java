package net.goldentooth.provisioner.messaging;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.Delivery;
import net.goldentooth.kafka.EventPublisher;

/**
 * The provisioner's consumers. Each decodes and hands the event on; poison goes to
 * {@code <topic>.dlq} through {@link ConsumerLoop}.
 *
 * <p>There is one provisioner, so the grouped consumers assign themselves every partition and use
 * the group {@code provisioner} only to commit offsets: a restarted provisioner reads at once instead
 * of waiting out the killed instance's session in a rebalance.
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
     * {@code job.progress} in group {@code provisioner}. {@code afterBatch} publishes what the batch
     * changed; offsets are committed only when {@code durable} says every folded change is on
     * {@code job.status}.
     */
    public ConsumerLoop<JobProgress> progress(Consumer<JobProgress> fold, Runnable afterBatch,
                                              BooleanSupplier durable) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                .group(GROUP)
                .clientId("provisioner-progress")
                .assignAllPartitions()
                .afterBatch(afterBatch)
                .commitWhen(durable)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> fold.accept(d.event()))
                .start();
    }

    /**
     * {@code job.requested} in group {@code provisioner}; a request that fails validation is
     * dead-lettered. A request without an idempotency key gets one from its position on the topic,
     * so a redelivery after a crash returns the job it already started instead of starting another.
     */
    public ConsumerLoop<JobRequest> requests(Consumer<JobRequest> submit) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_REQUESTED, JobRequest.class)
                .group(GROUP)
                .clientId("provisioner-requests")
                .assignAllPartitions()
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> submit.accept(withImplicitKey(d)))
                .start();
    }

    private static JobRequest withImplicitKey(Delivery<JobRequest> d) {
        JobRequest r = d.event();
        if (r.idempotencyKey() != null) {
            return r;
        }
        String key = d.topic() + "/" + d.partition() + "/" + d.offset();
        return new JobRequest(key, r.kind(), r.pattern(), r.command(), r.stdin(), r.timeoutSeconds(), r.concurrency(),
                r.sshFallback(), r.requestedBy());
    }

    /**
     * Every partition of the compacted {@code node.facts}, from the beginning, without a group;
     * each with its broker append time (null when the topic keeps producers' times).
     */
    public ConsumerLoop<NodeFacts> facts(java.util.function.BiConsumer<NodeFacts, java.time.Instant> record) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_FACTS, NodeFacts.class)
                .clientId("provisioner-facts")
                .assignAllPartitions()
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> record.accept(d.event(), d.appendedAt()))
                .start();
    }

    /** {@code node.heartbeat} from {@code from}, each beat with its broker append time. */
    public ConsumerLoop<NodeHeartbeat> heartbeats(java.time.Instant from,
                                                  java.util.function.BiConsumer<NodeHeartbeat, java.time.Instant> record) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_HEARTBEAT, NodeHeartbeat.class)
                .clientId("provisioner-heartbeats")
                .assignAllPartitions()
                .startAt(from)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> record.accept(d.event(), d.appendedAt()))
                .start();
    }

}
