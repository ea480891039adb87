package net.goldentooth.provisioner.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.api.JobStreams;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.config.SshConfig;
import net.goldentooth.provisioner.enrolment.EnrolmentConfig;
import net.goldentooth.provisioner.enrolment.TokenMinter;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryException;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.provisioner.jobs.EngineSettings;
import net.goldentooth.provisioner.jobs.JobEngine;
import net.goldentooth.provisioner.jobs.JobPlan;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.provisioner.messaging.ProvisionerConsumers;
import net.goldentooth.provisioner.messaging.StatusPublisher;
import net.goldentooth.provisioner.messaging.TaskDispatcher;
import net.goldentooth.provisioner.nodes.NodeDirectory;
import net.goldentooth.provisioner.ssh.SshRouter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Wires the pure engine to Kafka and keeps the order that makes results durable: at start-up the
 * job table is rebuilt from {@code job.status} before any progress is read; every batch of
 * progress is folded, its statuses published and flushed, and only then committed.
 */
@ApplicationScoped
public class ProvisionerApp {

    private static final Logger LOG = Logger.getLogger(ProvisionerApp.class);
    public static final String SOURCE = "//provisioner";

    @Inject
    ProvisionerConfig config;
    @Inject
    Clock clock;
    @Inject
    ProvisionerMetrics metrics;
    @Inject
    JobStreams streams;
    @Inject
    SshConfig sshConfig;
    @Inject
    EnrolmentConfig enrolment;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    jakarta.enterprise.inject.Instance<LocalRunner> localRunnerBeans;

    private Inventory inventory;
    private JobEngine engine;
    private NodeDirectory nodes;
    private EventPublisher publisher;
    private TaskDispatcher dispatcher;
    private StatusPublisher statuses;
    private SshRouter ssh;
    private final Object publicationLock = new Object();
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    /** Runners of the jobs the provisioner executes itself, by kind. */
    private final java.util.Map<JobKind, LocalRunner> localRunners = new java.util.EnumMap<>(JobKind.class);
    private ScheduledExecutorService ticker;
    private volatile boolean ready;

    void onStart(@Observes StartupEvent event) throws IOException {
        try {
            inventory = InventoryParser.load(config.inventory());
        } catch (InventoryException e) {
            throw new InventoryException("goldentooth.provisioner.inventory: " + e.getMessage(), e);
        }
        LOG.infof("inventory %s: %d hosts, %d groups", config.inventory(), inventory.hosts().size(),
                inventory.groups().size());
        TaskSigner signer;
        SigningKeys.KeyPair keys;
        try {
            keys = SigningKeys.loadOrCreate(config.signingKey(), config.signingPublicKey());
            signer = new TaskSigner(keys);
        } catch (IOException e) {
            throw new IOException("goldentooth.provisioner.signing-key " + config.signingKey() + ": " + e.getMessage(), e);
        }
        LOG.infof("signing tasks with key %s (public key %s)", signer.keyId(), config.signingPublicKey());
        EngineSettings settings;
        try {
            settings = new EngineSettings(config.defaultTimeout(), config.dispatchGrace(), config.acceptDeadline(),
                    config.maxOutputBytes(), config.statusCoalesce());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.provisioner." + e.getMessage(), e);
        }
        engine = new JobEngine(settings, clock, () -> UUID.randomUUID().toString(), metrics);
        nodes = new NodeDirectory(clock, config.factsInterval());
        publisher = new EventPublisher(bootstrap, SOURCE, clock);
        dispatcher = new TaskDispatcher(publisher, signer);
        statuses = new StatusPublisher(publisher);
        ssh = SshRouter.create(sshConfig, inventory, nodes, engine, publisher, clock, bootstrap,
                config.signingPublicKey(), new TokenMinter(keys, clock, enrolment.tokenLifetime()));
        ProvisionerConsumers consumers = new ProvisionerConsumers(bootstrap, publisher, metrics::deadLettered);
        localRunnerBeans.forEach(r -> localRunners.put(r.kind(), r));

        long replayed = consumers.replayStatuses(engine::restore);
        List<Task> resumed = engine.resume();
        publishDue(resumed, true);
        LOG.infof("rebuilt %d jobs from %d job.status records; resumed %d tasks", engine.size(), replayed,
                resumed.size());
        resumeLocalJobs();

        loops.add(consumers.facts(nodes::record));
        // A minute back is enough to know every beating node's newest beat.
        loops.add(consumers.heartbeats(clock.instant().minusSeconds(60), (beat, appendedAt) -> {
            if (beat.fromAgent()) {
                nodes.beat(beat.node(), appendedAt, java.time.Duration.ofMillis(beat.intervalMillis()));
            }
        }));
        loops.add(consumers.progress(this::fold, this::afterProgressBatch, this::everythingFoldedIsPublished));
        loops.add(consumers.requests(this::submitFromTopic));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "provisioner-deadlines");
            t.setDaemon(true);
            return t;
        });
        long tick = config.deadlineTick().toMillis();
        ticker.scheduleWithFixedDelay(this::tickSafely, tick, tick, TimeUnit.MILLISECONDS);
        long coalesce = Math.max(1, config.statusCoalesce().toMillis());
        ticker.scheduleWithFixedDelay(this::publishCoalescedSafely, coalesce, coalesce, TimeUnit.MILLISECONDS);
        ready = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        ready = false;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        loops.forEach(ConsumerLoop::close);
        if (ssh != null) {
            ssh.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Ready once the job table is rebuilt and every consumer runs. */
    public boolean ready() {
        return ready && loops.stream().allMatch(ConsumerLoop::isRunning);
    }

    /** POST /jobs and {@code job.requested}: validate, start, publish the status and the first tasks. */
    public JobEngine.Submission submit(JobRequest request) {
        Optional<JobStatus> earlier = engine.findByIdempotencyKey(request == null ? null : request.idempotencyKey());
        if (earlier.isPresent()) {
            return new JobEngine.Submission(earlier.get(), false, List.of());
        }
        JobPlan plan = JobValidation.validate(request, engine.settings(), p -> HostPattern.resolve(p, inventory));
        LocalRunner local = localRunners.get(plan.request().kind());
        if (local != null) {
            local.validate(plan.request());
        }
        JobEngine.Submission submission = engine.start(plan);
        if (submission.created()) {
            String jobId = submission.status().jobId();
            MDC.put("jobId", jobId);
            try {
                LOG.infof("job %s: %s '%s' on %d targets (%s)", jobId, plan.request().kind().wire(),
                        plan.request().pattern(), plan.targets().size(), plan.request().requestedBy());
                publishDue(submission.tasks(), false);
            } finally {
                MDC.remove("jobId");
            }
            streams.changed(jobId);
        }
        return submission;
    }

    private void submitFromTopic(JobRequest request) {
        submit(request);
    }

    private void fold(JobProgress progress) {
        JobEngine.Folded folded = engine.fold(progress);
        List<Task> remote = ssh.route(startLocally(folded.tasks()));
        if (!remote.isEmpty()) {
            dispatcher.dispatch(remote);
        }
        if (!folded.output().isEmpty()) {
            streams.progress(folded.output());
        }
        if (folded.changed()) {
            streams.changed(folded.jobId());
        }
    }

    /**
     * After each progress batch: publish what is urgent (one-target jobs, jobs that just ended).
     * Other running jobs are published by the timer at most once per status-coalesce; the consumer
     * commits only when {@link #everythingFoldedIsPublished()}, so nothing folded is ever only in
     * memory behind a committed offset.
     */
    private void afterProgressBatch() {
        publishDue(List.of(), false);
    }

    /** The progress consumer's commit gate: no folded change awaits publication or acknowledgement. */
    private boolean everythingFoldedIsPublished() {
        synchronized (publicationLock) {
            return engine.untilNextDue() == null;
        }
    }

    private void tickSafely() {
        try {
            JobEngine.Tick tick = engine.applyDeadlines();
            if (!tick.output().isEmpty()) {
                streams.progress(tick.output());
            }
            publishDue(tick.tasks(), true);
            tick.changedJobs().forEach(streams::changed);
        } catch (RuntimeException e) {
            LOG.errorf(e, "deadline tick failed; retrying at the next tick");
        }
    }

    private void publishCoalescedSafely() {
        try {
            publishDue(List.of(), true);
        } catch (RuntimeException e) {
            LOG.errorf(e, "publishing coalesced statuses failed; retrying");
        }
    }

    /**
     * Takes the due statuses and sends them with {@code tasks}, then waits until the broker has the
     * statuses, all under one lock: revisions reach the topic in order, and the commit gate never
     * sees a status as published before it is acknowledged. Tasks are not waited for (a 10,000-task
     * fan-out must not hold up the answer): a task that is never delivered ends its target
     * {@code unreachable} at the accept deadline, and the failure is logged.
     */
    private void publishDue(List<Task> all, boolean includeCoalesced) {
        List<Task> tasks = ssh.route(startLocally(all));
        synchronized (publicationLock) {
            List<CompletableFuture<?>> sent = statuses.publish(
                    includeCoalesced ? engine.takeDueStatuses() : engine.takeUrgentStatuses());
            if (!tasks.isEmpty()) {
                List<CompletableFuture<?>> dispatched = dispatcher.dispatch(tasks);
                for (int i = 0; i < dispatched.size(); i++) {
                    Task task = tasks.get(i);
                    dispatched.get(i).whenComplete((ok, error) -> {
                        if (error != null) {
                            LOG.errorf(error, "job %s: task %s for %s was not delivered", task.jobId(), task.taskId(),
                                    task.node());
                        }
                    });
                }
            }
            for (CompletableFuture<?> f : sent) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    // The consumer must not commit what was not published: failing here stops the commit.
                    throw new IllegalStateException("publishing to job.status failed", e.getCause());
                }
            }
        }
    }

    /**
     * Hands the tasks of jobs the provisioner runs itself to their runner (they report on
     * {@code job.progress} like an agent) and returns the rest, which go to agents.
     */
    private List<Task> startLocally(List<Task> tasks) {
        if (tasks.isEmpty() || localRunners.isEmpty()) {
            return tasks;
        }
        List<Task> remote = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            Optional<JobStatus> job = JobValidation.PROVISIONER_TARGET.equals(task.node())
                    ? engine.status(task.jobId()) : Optional.empty();
            LocalRunner runner = job.map(j -> localRunners.get(j.request().kind())).orElse(null);
            if (runner == null) {
                remote.add(task);
            } else {
                runner.start(task, job.get().request(), this::publishLocalProgress);
            }
        }
        return remote;
    }

    /** At start-up: local jobs that were running when the provisioner stopped go back to their runner. */
    private void resumeLocalJobs() {
        JobPage running = engine.page(0, Integer.MAX_VALUE, JobState.RUNNING, JobValidation.PROVISIONER_TARGET, null);
        for (var row : running.jobs()) {
            engine.status(row.jobId()).ifPresent(status -> {
                LocalRunner runner = localRunners.get(status.request().kind());
                if (runner != null) {
                    LOG.infof("job %s: %s was running when the provisioner stopped; handing it back to its runner",
                            status.jobId(), status.request().kind().wire());
                    runner.resume(status, this::publishLocalProgress);
                }
            });
        }
    }

    private void publishLocalProgress(JobProgress progress) {
        publisher.publish(Topics.JOB_PROGRESS, progress.jobId(), progress).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "job %s: progress seq %d of the provisioner's own run was not delivered",
                        progress.jobId(), progress.seq());
            }
        });
    }

    public Optional<JobStatus> status(String jobId) {
        return engine.status(jobId);
    }

    public JobState stateOf(String jobId) {
        return engine.stateOf(jobId);
    }

    public JobPage page(int offset, int limit, JobState state, String node, String pattern) {
        return engine.page(offset, limit, state, node, pattern);
    }

    public Inventory inventory() {
        return inventory;
    }

    public NodeDirectory nodes() {
        return nodes;
    }
}
