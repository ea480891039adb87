package net.goldentooth.provisioner.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.messaging.ProvisionerConsumers;
import net.goldentooth.provisioner.nodes.NodeDirectory;
import org.jboss.logging.Logger;

/**
 * Start-up and shutdown, in the order that makes results durable: the job table is rebuilt from
 * {@code job.status} for reads, with nothing owned; the live tails of {@code job.status} and
 * {@code job.progress} keep it current; the progress consumer joins group {@code provisioner}, and
 * the partitions the group gives it are adopted (their jobs read again from {@code job.status}
 * and continued) before any of their progress is folded; each batch is committed only when the
 * desk's commit gate opens. Then the request consumer and the deadline and coalescing timers.
 * Every decision is the desk's.
 */
@ApplicationScoped
public class ProvisionerApp {

    private static final Logger LOG = Logger.getLogger(ProvisionerApp.class);

    @Inject
    ProvisionerConfig config;
    @Inject
    Clock clock;
    @Inject
    ProvisionerMetrics metrics;
    @Inject
    ProvisionerWiring wiring;
    @Inject
    JobDesk desk;
    @Inject
    NodeDirectory nodes;

    /** How long a request taken while this instance owns no partition waits for the group. */
    private static final Duration OWNERSHIP_WAIT = Duration.ofSeconds(30);
    /** How far back the status tail starts before the replay: records published meanwhile are not missed. */
    private static final Duration TAIL_OVERLAP = Duration.ofSeconds(60);

    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private volatile boolean ready;
    /** The group has answered the progress consumer at least once (possibly with no partition). */
    private volatile boolean joined;
    private volatile boolean stopping;

    void onStart(@Observes StartupEvent event) {
        ProvisionerConsumers consumers = new ProvisionerConsumers(wiring.bootstrapServers(), wiring.publisher(),
                metrics::deadLettered);
        // Nothing is owned until the group says so; the replay fills the table for reads.
        desk.release(java.util.stream.IntStream.range(0, net.goldentooth.provisioner.jobs.JobEngine.PARTITIONS)
                .boxed().toList(), false);
        java.time.Instant tailFrom = java.time.Instant.now().minus(TAIL_OVERLAP);
        long replayed = consumers.replayStatuses(desk::restore);
        LOG.infof("read %d jobs from %d job.status records; owning none until the group assigns partitions",
                desk.size(), replayed);
        loops.add(consumers.statusTail(tailFrom, desk::observe));
        loops.add(consumers.progressTail(jobId -> !desk.owns(jobId), desk::observeProgress));

        loops.add(consumers.facts(nodes::record));
        // A minute back is enough to know every beating node's newest beat.
        loops.add(consumers.heartbeats(clock.instant().minusSeconds(60), (beat, appendedAt) -> {
            if (beat.fromAgent()) {
                nodes.beat(beat.node(), appendedAt, Duration.ofMillis(beat.intervalMillis()));
            }
        }));
        loops.add(consumers.progress(desk::fold, desk::afterBatch, desk::everythingFoldedIsPublished,
                new Ownership(consumers)));
        awaitGroup();
        loops.add(consumers.requests(this::submitOwned));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "provisioner-deadlines");
            t.setDaemon(true);
            return t;
        });
        long tick = config.deadlineTick().toMillis();
        ticker.scheduleWithFixedDelay(() -> safely(desk::tick, "deadline tick failed; retrying at the next tick"),
                tick, tick, TimeUnit.MILLISECONDS);
        long coalesce = Math.max(1, config.statusCoalesce().toMillis());
        ticker.scheduleWithFixedDelay(() -> safely(desk::publishCoalesced,
                "publishing coalesced statuses failed; retrying"), coalesce, coalesce, TimeUnit.MILLISECONDS);
        ready = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        ready = false;
        stopping = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        loops.forEach(ConsumerLoop::close);
        wiring.close();
    }

    /** Ready once the job table is rebuilt, the group has answered and every consumer runs. */
    public boolean ready() {
        return ready && joined && loops.stream().allMatch(ConsumerLoop::isRunning);
    }

    /**
     * The group's decisions, on the progress consumer's thread inside its poll: partitions given are
     * adopted before any of their records is handed to the fold (retried until it succeeds, since
     * folding a partition whose jobs were not rebuilt would lose progress); partitions taken are
     * flushed (when still a member) and become read-only here.
     */
    private final class Ownership implements ConsumerLoop.RebalanceListener {
        private final ProvisionerConsumers consumers;

        Ownership(ProvisionerConsumers consumers) {
            this.consumers = consumers;
        }

        @Override
        public void assigned(java.util.Collection<Integer> partitions) {
            while (true) {
                try {
                    desk.adopt(partitions, consumers::replayStatuses);
                    joined = true;
                    return;
                } catch (RuntimeException e) {
                    if (stopping) {
                        throw e;
                    }
                    LOG.errorf(e, "taking over job partitions %s failed; retrying", partitions);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        @Override
        public void revoked(java.util.Collection<Integer> partitions) {
            desk.release(partitions, true);
        }

        @Override
        public void lost(java.util.Collection<Integer> partitions) {
            desk.release(partitions, false);
        }
    }

    /**
     * Start-up waits (bounded) for the group's first answer, so that a provisioner that says it has
     * started can take a POST at once; a group that does not answer in time is logged, and
     * readiness stays false until it does.
     */
    private void awaitGroup() {
        long deadline = System.nanoTime() + OWNERSHIP_WAIT.toNanos();
        while (!joined && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (joined) {
            LOG.infof("job partitions owned: %s", desk.ownedPartitions());
        } else {
            LOG.warnf("group %s did not assign job partitions within %s; not ready until it does",
                    ProvisionerConsumers.GROUP, OWNERSHIP_WAIT);
        }
    }

    /**
     * A request from {@code job.requested}: the job is created on a partition this instance owns, so
     * a request taken during a rebalance (nothing owned for a moment) waits for the group.
     */
    private void submitOwned(net.goldentooth.events.job.JobRequest request) {
        long deadline = System.nanoTime() + OWNERSHIP_WAIT.toNanos();
        while (desk.ownedPartitions().isEmpty() && System.nanoTime() < deadline && !stopping) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for job partitions", e);
            }
        }
        desk.submit(request);
    }

    /** A timer's work: a failure is logged and the next run tries again, so the timer never dies. */
    private static void safely(Runnable work, String failure) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, failure);
        }
    }
}
