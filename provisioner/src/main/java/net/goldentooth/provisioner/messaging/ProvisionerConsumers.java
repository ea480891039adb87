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
 * <p>Several provisioners share the work: the progress consumer subscribes in group
 * {@code provisioner}, and whoever is given partition p of {@code job.progress} owns the jobs on
 * partition p (of {@code job.progress} and of {@code job.status}, both keyed by job id). Requests
 * are shared in group {@code provisioner-requests}; the instance that takes one creates the job on
 * a partition it owns. Every instance follows all of {@code job.status} (and the output on
 * {@code job.progress}) for reads.
 */
public final class ProvisionerConsumers {

    /** The consumer group of the progress consumer: its partitions are the instances' jobs. */
    public static final String GROUP = "provisioner";
    /** The consumer group that shares {@code job.requested} between the instances. */
    public static final String REQUESTS_GROUP = "provisioner-requests";

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

    /** Reads these partitions of {@code job.status} to their current end: a new owner's rebuild. */
    public long replayStatuses(java.util.Collection<Integer> partitions, Consumer<JobStatus> restore) {
        return ConsumerLoop.replayPartitions(bootstrap, Topics.JOB_STATUS, JobStatus.class, "provisioner-adopt",
                partitions, d -> restore.accept(d.event()));
    }

    /**
     * All of {@code job.status} from {@code from} on, without a group: how every instance keeps the
     * jobs it does not own up to date for reads (records it already has are ignored by revision).
     */
    public ConsumerLoop<JobStatus> statusTail(java.time.Instant from, Consumer<JobStatus> observe) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_STATUS, JobStatus.class)
                .clientId("provisioner-status-tail")
                .assignAllPartitions()
                .startAt(from)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> observe.accept(d.event()))
                .start();
    }

    /**
     * New records of {@code job.progress} whose key (the job id) passes {@code foreign}, without a
     * group: the output of jobs other instances own, for this instance's live streams.
     */
    public ConsumerLoop<JobProgress> progressTail(java.util.function.Predicate<String> foreign,
                                                  Consumer<JobProgress> observe) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                .clientId("provisioner-progress-tail")
                .assignAllPartitions()
                .start(ConsumerLoop.Start.LATEST)
                .keyFilter(key -> key != null && foreign.test(key))
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> observe.accept(d.event()))
                .start();
    }

    /**
     * {@code job.progress} in group {@code provisioner}, subscribed: {@code ownership} is told which
     * partitions this instance owns. {@code afterBatch} publishes what the batch changed; offsets
     * are committed only when {@code durable} says every folded change is on {@code job.status}.
     */
    public ConsumerLoop<JobProgress> progress(Consumer<JobProgress> fold, Runnable afterBatch,
                                              BooleanSupplier durable, ConsumerLoop.RebalanceListener ownership) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                .group(GROUP)
                .clientId("provisioner-progress")
                .onRebalance(ownership)
                .afterBatch(afterBatch)
                .commitWhen(durable)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> fold.accept(d.event()))
                .start();
    }

    /**
     * {@code job.requested} in group {@code provisioner-requests}, shared between the instances; a
     * request that fails validation is dead-lettered. A request without an idempotency key gets one from its position on the topic,
     * so a redelivery after a crash returns the job it already started instead of starting another.
     */
    public ConsumerLoop<JobRequest> requests(Consumer<JobRequest> submit) {
        return ConsumerLoop.builder(bootstrap, Topics.JOB_REQUESTED, JobRequest.class)
                .group(REQUESTS_GROUP)
                .clientId("provisioner-requests")
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
