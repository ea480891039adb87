package net.goldentooth.provisioner.api;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.provisioner.jobs.JobLookup;
import net.goldentooth.provisioner.jobs.JobWatcher;
import org.jboss.logging.Logger;

/**
 * The live streams of {@code GET /jobs/{id}/events}. Each subscriber gets the current status first,
 * then {@code progress} events for output folded after it, and {@code status} events at most once
 * per {@link #statusIntervalMs(int) interval} per job (a terminal status at once); after the terminal status
 * the stream is closed. Only jobs with subscribers cost anything: a status snapshot is taken once
 * per job per send, shared by its subscribers.
 */
@ApplicationScoped
public class JobStreams implements JobWatcher {

    private static final Logger LOG = Logger.getLogger(JobStreams.class);
    static final long STATUS_INTERVAL_MS = 50;
    /**
     * Each running status is a snapshot of every target taken under the engine's lock and encoded
     * whole: a 10,000-target job's is about 1.5 MB. The interval grows by this per target, so
     * streaming a big job costs the provisioner about the same share of a core as a small one
     * (a status every 2.5 s at 10,000 targets instead of 20 a second); up to 200 targets it stays
     * 50 ms. The terminal status still goes out at once.
     */
    static final long STATUS_INTERVAL_MICROS_PER_TARGET = 250;

    @Inject
    JobLookup jobs;

    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-streams");
        t.setDaemon(true);
        return t;
    });

    /**
     * The subscribers of one job and when its last status went out. Snapshots are taken and sent on
     * the timer thread only, so the consumer that folds progress never pays for them.
     */
    private final class Feed {
        final String jobId;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        private long lastStatusNanos;
        private boolean scheduled;
        /** The target count of the last status taken: what the interval is scaled by. */
        private volatile int targets;

        Feed(String jobId) {
            this.jobId = jobId;
        }

        void changed() {
            if (jobs.stateOf(jobId) != JobState.RUNNING) {
                // The terminal status goes out at once, even past a pending coalesced send.
                timer.execute(this::sendStatus);
                return;
            }
            synchronized (this) {
                if (scheduled) {
                    return;
                }
                scheduled = true;
                long since = (System.nanoTime() - lastStatusNanos) / 1_000_000;
                timer.schedule(this::sendStatus, Math.max(0, statusIntervalMs(targets) - since),
                        TimeUnit.MILLISECONDS);
            }
        }

        private void sendStatus() {
            synchronized (this) {
                scheduled = false;
                lastStatusNanos = System.nanoTime();
            }
            if (subscribers.isEmpty()) {
                return;
            }
            Optional<JobStatus> status = jobs.status(jobId);
            status.ifPresent(s -> {
                targets = s.targets() == null ? 0 : s.targets().size();
                // Queued on every stream first, encoded once afterwards, outside the streams' locks:
                // the progress consumer, which queues output on the same streams, never waits for it.
                CompletableFuture<String> json = new CompletableFuture<>();
                subscribers.forEach(sub -> sub.status(s, json));
                encodeInto(s, json);
            });
        }
    }

    /** Encodes {@code status} into {@code json}, failing it (the stream then skips the event) if it cannot be. */
    private static void encodeInto(JobStatus status, CompletableFuture<String> json) {
        try {
            json.complete(EventCodec.encodeToString(status));
        } catch (RuntimeException e) {
            json.completeExceptionally(e);
        }
    }

    /** The least time between two running statuses of a job with {@code targets} targets on one stream. */
    static long statusIntervalMs(int targets) {
        return Math.max(STATUS_INTERVAL_MS, (long) Math.max(0, targets) * STATUS_INTERVAL_MICROS_PER_TARGET / 1_000);
    }

    /** One open stream. Sends are chained so events leave in the order they were produced. */
    private final class Subscriber {
        final Feed feed;
        final SseEventSink sink;
        final Sse sse;
        private CompletionStage<?> tail = CompletableFuture.completedFuture(null);
        private boolean opened;
        private boolean closed;
        private final List<JobProgress> early = new ArrayList<>();

        Subscriber(Feed feed, SseEventSink sink, Sse sse) {
            this.feed = feed;
            this.sink = sink;
            this.sse = sse;
        }

        /** The first status; progress that arrived meanwhile follows unless the status already holds it. */
        void open(JobStatus status) {
            CompletableFuture<String> json = new CompletableFuture<>();
            openQueued(status, json);
            encodeInto(status, json);
        }

        private synchronized void openQueued(JobStatus status, CompletionStage<String> json) {
            opened = true;
            status(status, json);
            for (JobProgress p : early) {
                TargetStatus target = status.targets().get(p.node());
                if (target == null || target.lastSeq() == null || p.seq() > target.lastSeq()) {
                    send("progress", CompletableFuture.completedFuture(EventCodec.encodeToString(p)));
                }
            }
            early.clear();
        }

        synchronized void progress(JobProgress p) {
            if (!opened) {
                early.add(p);
            } else {
                send("progress", CompletableFuture.completedFuture(EventCodec.encodeToString(p)));
            }
        }

        /** Queues {@code status}, whose JSON {@code json} gives once it is encoded (outside this lock). */
        synchronized void status(JobStatus status, CompletionStage<String> json) {
            if (!opened) {
                return;
            }
            send("status", json);
            if (status.state().terminal()) {
                close();
            }
        }

        /** Chains the event after the ones before it: it leaves when they have and its JSON is ready. */
        private void send(String name, CompletionStage<String> json) {
            if (closed || sink.isClosed()) {
                return;
            }
            tail = tail.thenCompose(x -> json)
                    .thenCompose(data -> sink.send(sse.newEventBuilder().name(name).data(String.class, data).build()))
                    .exceptionally(e -> {
                        LOG.debugf("stream of job %s: %s", feed.jobId, e.getMessage());
                        return null;
                    });
        }

        private void close() {
            closed = true;
            feed.subscribers.remove(this);
            feeds.computeIfPresent(feed.jobId, (id, f) -> f.subscribers.isEmpty() ? null : f);
            tail = tail.whenComplete((x, e) -> sink.close());
        }
    }

    /** Starts a stream for a known job. */
    public void subscribe(String jobId, SseEventSink sink, Sse sse) {
        Subscriber[] added = new Subscriber[1];
        // Registered atomically with the map entry, so a feed being dropped never swallows a subscriber.
        feeds.compute(jobId, (id, existing) -> {
            Feed f = existing == null ? new Feed(id) : existing;
            added[0] = new Subscriber(f, sink, sse);
            f.subscribers.add(added[0]);
            return f;
        });
        Optional<JobStatus> status = jobs.status(jobId);
        if (status.isEmpty()) {
            added[0].close();
            return;
        }
        // Registered before the first status is taken: no output folded in between is missed.
        added[0].feed.targets = status.get().targets() == null ? 0 : status.get().targets().size();
        added[0].open(status.get());
    }

    /** Output folded by the engine, in order. */
    @Override
    public void progress(List<JobProgress> output) {
        for (JobProgress p : output) {
            Feed feed = feeds.get(p.jobId());
            if (feed != null) {
                feed.subscribers.forEach(s -> s.progress(p));
            }
        }
    }

    /** A job's status changed. */
    @Override
    public void changed(String jobId) {
        Feed feed = feeds.get(jobId);
        if (feed != null && !feed.subscribers.isEmpty()) {
            feed.changed();
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
