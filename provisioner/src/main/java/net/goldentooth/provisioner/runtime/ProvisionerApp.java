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
 * {@code job.status} before any progress is read; then the consumers start, each batch of progress
 * folded by the {@link JobDesk} and committed only when its commit gate opens; then the deadline
 * and coalescing timers. Every decision is the desk's.
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

    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private volatile boolean ready;

    void onStart(@Observes StartupEvent event) {
        ProvisionerConsumers consumers = new ProvisionerConsumers(wiring.bootstrapServers(), wiring.publisher(),
                metrics::deadLettered);
        long replayed = consumers.replayStatuses(desk::restore);
        int resumed = desk.resume();
        LOG.infof("rebuilt %d jobs from %d job.status records; resumed %d tasks", desk.size(), replayed, resumed);

        loops.add(consumers.facts(nodes::record));
        // A minute back is enough to know every beating node's newest beat.
        loops.add(consumers.heartbeats(clock.instant().minusSeconds(60), (beat, appendedAt) -> {
            if (beat.fromAgent()) {
                nodes.beat(beat.node(), appendedAt, Duration.ofMillis(beat.intervalMillis()));
            }
        }));
        loops.add(consumers.progress(desk::fold, desk::afterBatch, desk::everythingFoldedIsPublished));
        loops.add(consumers.requests(desk::submit));
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
        if (ticker != null) {
            ticker.shutdownNow();
        }
        loops.forEach(ConsumerLoop::close);
        wiring.close();
    }

    /** Ready once the job table is rebuilt and every consumer runs. */
    public boolean ready() {
        return ready && loops.stream().allMatch(ConsumerLoop::isRunning);
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
