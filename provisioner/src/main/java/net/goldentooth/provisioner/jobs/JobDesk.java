package net.goldentooth.provisioner.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.errors.ProvisionerException;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.inventory.Inventory;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The job path around {@link JobEngine}: submitting, folding progress, ticking deadlines, deciding
 * who runs each task, and publishing statuses in the order that makes results durable. Pure: every
 * way out is an interface ({@link TaskSink}, {@link SshSink}, {@link StatusSink},
 * {@link ProgressSink}, {@link JobWatcher}), the clock is the engine's, and no thread is started
 * here; the shell calls {@link #fold}, {@link #afterBatch}, {@link #tick} and
 * {@link #publishCoalesced} from its consumer and timer threads.
 *
 * <p>The commit gate: {@link #everythingFoldedIsPublished()} is true only when no folded change
 * waits for publication or for the broker's acknowledgement, because statuses are taken from the
 * engine and awaited under one lock.
 */
public final class JobDesk implements JobLookup {

    private static final Logger LOG = Logger.getLogger(JobDesk.class);

    /**
     * Where the desk's work goes.
     *
     * @param agents        tasks for agents ({@code job.tasks})
     * @param ssh           tasks run over SSH: bootstraps, and fallback jobs' tasks for nodes without a live agent
     * @param statuses      job statuses ({@code job.status}); awaited before the commit gate opens
     * @param localProgress progress of the jobs the provisioner runs itself ({@code job.progress})
     * @param watcher       live streams
     */
    public record Outlets(TaskSink agents, SshSink ssh, StatusSink statuses, ProgressSink localProgress,
                          JobWatcher watcher) {
    }

    /**
     * Reads {@code job.status} partitions to their current end, one record at a time: what a new
     * owner rebuilds its jobs from after a rebalance.
     */
    @FunctionalInterface
    public interface StatusReplay {
        void replay(Collection<Integer> partitions, java.util.function.Consumer<JobStatus> into);
    }

    /**
     * The broker did not acknowledge statuses: the batch that changed them must not be committed.
     * Retryable: the statuses are pending again and go out with a later publication.
     */
    public static final class StatusNotPublished extends ProvisionerException {
        StatusNotPublished(int failed, int due, Throwable cause) {
            super(ErrorKind.UNAVAILABLE, "publishing " + failed + " of " + due + " statuses to job.status failed",
                    List.of(), Map.of("failed", Integer.toString(failed)), cause);
        }
    }

    private final JobEngine engine;
    private final Inventory inventory;
    private final Predicate<String> agentLive;
    private final Outlets out;
    private final Map<JobKind, LocalRunner> localRunners = new EnumMap<>(JobKind.class);
    private final Object publicationLock = new Object();

    /**
     * @param inventory    resolves the requests' host patterns
     * @param agentLive    whether a node has a live agent (facts or heartbeats recently)
     * @param localRunners runners of the kinds the provisioner executes itself, at most one per kind
     */
    public JobDesk(JobEngine engine, Inventory inventory, Predicate<String> agentLive, Outlets out,
                   Collection<LocalRunner> localRunners) {
        this.engine = engine;
        this.inventory = inventory;
        this.agentLive = agentLive;
        this.out = out;
        for (LocalRunner runner : localRunners) {
            LocalRunner before = this.localRunners.put(runner.kind(), runner);
            if (before != null) {
                throw new IllegalArgumentException("two local runners for kind " + runner.kind().wire() + ": "
                        + before.getClass().getName() + " and " + runner.getClass().getName());
            }
        }
    }

    /**
     * POST /jobs and {@code job.requested}: validate, start, publish the status and the first tasks.
     * A known idempotency key returns the earlier job and sends nothing.
     *
     * @throws JobRequestException        the request can never succeed as sent
     * @throws net.goldentooth.provisioner.inventory.PatternException the pattern selects no host
     */
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
            out.watcher().changed(jobId);
        }
        return submission;
    }

    /** One {@code job.progress} record: folded, and the tasks its window lets out dispatched at once. */
    public void fold(JobProgress progress) {
        JobEngine.Folded folded = engine.fold(progress);
        List<Task> toAgents = route(folded.tasks());
        if (!toAgents.isEmpty()) {
            out.agents().send(toAgents);
        }
        if (!folded.output().isEmpty()) {
            out.watcher().progress(folded.output());
        }
        if (folded.changed()) {
            out.watcher().changed(folded.jobId());
        }
    }

    /**
     * After each progress batch: publishes what is urgent (one-target jobs, jobs that just ended) and
     * waits for it. Other running jobs go out with {@link #publishCoalesced()}, at most once per
     * status-coalesce, so the consumer neither serialises a big status mid-job nor waits for one per
     * record.
     *
     * @throws StatusNotPublished a status was not acknowledged: the batch must not be committed
     */
    public void afterBatch() {
        publishDue(List.of(), false);
    }

    /** The statuses due now, coalesced ones included: the shell's timer calls this every status-coalesce. */
    public void publishCoalesced() {
        publishDue(List.of(), true);
    }

    /** The progress consumer's commit gate: no folded change awaits publication or acknowledgement. */
    public boolean everythingFoldedIsPublished() {
        synchronized (publicationLock) {
            return engine.untilNextDue() == null;
        }
    }

    /** Applies the deadlines due now, publishes what they changed and dispatches the tasks they freed. */
    public void tick() {
        JobEngine.Tick tick = engine.applyDeadlines();
        if (!tick.output().isEmpty()) {
            out.watcher().progress(tick.output());
        }
        publishDue(tick.tasks(), true);
        tick.changedJobs().forEach(out.watcher()::changed);
    }

    /** Start-up replay of {@code job.status}: one record at a time, before anything else is consumed. */
    public void restore(JobStatus status) {
        engine.restore(status);
    }

    /**
     * A record of the live tail of {@code job.status} (every instance follows all of it, so any
     * instance answers for any job): jobs of other owners are brought up to date and their live
     * streams told; see {@link JobEngine#observe} for a record about a job this instance owns.
     */
    public void observe(JobStatus status) {
        boolean mine = engine.owns(status.jobId());
        engine.observe(status);
        if (!mine) {
            out.watcher().changed(status.jobId());
        }
    }

    /**
     * A record of the live tail of {@code job.progress}: output of a job another instance owns goes
     * to this instance's live streams (its owner folds it; this instance shows it).
     */
    public void observeProgress(JobProgress progress) {
        if (progress.jobId() != null && progress.kind() == net.goldentooth.events.job.ProgressKind.OUTPUT
                && !engine.owns(progress.jobId()) && engine.stateOf(progress.jobId()) != null) {
            out.watcher().progress(List.of(progress));
        }
    }

    /**
     * The group gave these partitions to this instance. Their jobs are read again from
     * {@code job.status} to its end (the previous owner published what it folded before it let go;
     * what it had not, it had not committed either, and is folded again from {@code job.progress}),
     * then taken over as after a restart: in-flight targets get fresh deadlines, windows are
     * refilled with the task ids the jobs were created with, the provisioner's own running jobs go
     * back to their runner.
     *
     * @return how many tasks were sent
     */
    public int adopt(Collection<Integer> partitions, StatusReplay replay) {
        if (partitions.isEmpty()) {
            return 0;
        }
        replay.replay(partitions, engine::restore);
        engine.own(partitions);
        List<Task> resumed = engine.resume(partitions);
        publishDue(resumed, true);
        resumeLocalRunners(partitions);
        LOG.infof("owning job partitions %s (now %s); resumed %d tasks", partitions, engine.ownedPartitions(),
                resumed.size());
        return resumed.size();
    }

    /**
     * The group took these partitions from this instance. When it still can ({@code graceful}: a
     * rebalance, not a lost session), it first publishes what it folded for them, so the next owner
     * starts from there rather than folding it again. From then on their jobs are read-only here.
     */
    public void release(Collection<Integer> partitions, boolean graceful) {
        if (partitions.isEmpty()) {
            return;
        }
        if (graceful) {
            try {
                engine.hurry(partitions);
                publishDue(List.of(), true);
            } catch (RuntimeException e) {
                LOG.warnf("publishing before giving away partitions %s failed (the next owner folds it again): %s",
                        partitions, e.getMessage());
            }
        }
        List<JobStatus> running = engine.release(partitions);
        for (JobStatus status : running) {
            LocalRunner runner = localRunners.get(status.request().kind());
            if (runner != null) {
                LOG.infof("job %s: %s given away; stopping its runner here", status.jobId(),
                        status.request().kind().wire());
                runner.release(status.jobId());
            }
        }
        LOG.infof("not owning job partitions %s any more (%s; %d running jobs); owning %s", partitions,
                graceful ? "given away" : "not published first", running.size(), engine.ownedPartitions());
    }

    /** Whether this instance owns the job's partition (and so folds, ticks and publishes it). */
    public boolean owns(String jobId) {
        return engine.owns(jobId);
    }

    /** The partitions this instance owns now. */
    public List<Integer> ownedPartitions() {
        return engine.ownedPartitions();
    }

    /**
     * After the replay: in-flight targets get fresh deadlines, windows are refilled and their tasks
     * sent, and the provisioner's own jobs that were running go back to their runner.
     *
     * @return how many tasks were sent again
     */
    public int resume() {
        List<Task> resumed = engine.resume();
        publishDue(resumed, true);
        resumeLocalRunners(engine.ownedPartitions());
        return resumed.size();
    }

    private void resumeLocalRunners(Collection<Integer> partitions) {
        JobPage running = engine.page(0, Integer.MAX_VALUE, JobState.RUNNING, JobValidation.PROVISIONER_TARGET, null);
        for (var row : running.jobs()) {
            if (!partitions.contains(JobEngine.partitionOf(row.jobId())) || !engine.owns(row.jobId())) {
                continue;
            }
            engine.status(row.jobId()).ifPresent(status -> {
                LocalRunner runner = localRunners.get(status.request().kind());
                if (runner != null) {
                    LOG.infof("job %s: %s was running when the provisioner stopped; handing it back to its runner",
                            status.jobId(), status.request().kind().wire());
                    runner.resume(status, out.localProgress()::publish);
                }
            });
        }
    }

    @Override
    public Optional<JobStatus> status(String jobId) {
        return engine.status(jobId);
    }

    @Override
    public JobState stateOf(String jobId) {
        return engine.stateOf(jobId);
    }

    /** Jobs newest first; see {@link JobEngine#page}. */
    public JobPage page(int offset, int limit, JobState state, String node, String pattern) {
        return engine.page(offset, limit, state, node, pattern);
    }

    /** How many jobs the table holds. */
    public int size() {
        return engine.size();
    }

    /**
     * The one dispatch decision. A job of a kind the provisioner runs itself goes to its runner (its
     * only target is {@link JobValidation#PROVISIONER_TARGET}); a bootstrap goes over SSH; a job
     * that allows the SSH fallback goes over SSH for nodes without a live agent; everything else
     * goes to the agents, and is returned for the caller to send.
     */
    private List<Task> route(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return tasks;
        }
        List<Task> toAgents = new ArrayList<>(tasks.size());
        List<Task> commandsOverSsh = new ArrayList<>();
        List<Task> bootstraps = new ArrayList<>();
        for (Task task : tasks) {
            JobRequest request = engine.requestOf(task.jobId());
            LocalRunner local = request == null ? null : localRunners.get(request.kind());
            if (local != null && JobValidation.PROVISIONER_TARGET.equals(task.node())) {
                local.start(task, request, out.localProgress()::publish);
            } else if (request != null && request.kind() == JobKind.BOOTSTRAP) {
                bootstraps.add(task);
            } else if (request != null && request.sshFallback() && !agentLive.test(task.node())) {
                commandsOverSsh.add(task);
            } else {
                toAgents.add(task);
            }
        }
        if (!commandsOverSsh.isEmpty() || !bootstraps.isEmpty()) {
            List<Task> overSsh = new ArrayList<>(commandsOverSsh);
            overSsh.addAll(bootstraps);
            // Marked before the executor can report, so the first status already shows via: ssh.
            engine.routedOverSsh(overSsh);
            commandsOverSsh.forEach(out.ssh()::command);
            bootstraps.forEach(out.ssh()::bootstrap);
        }
        return toAgents;
    }

    /**
     * Takes the due statuses and sends them with {@code all}'s agent tasks, then waits until the
     * broker has the statuses, all under one lock: revisions reach the topic in order, and the
     * commit gate never sees a status as published before it is acknowledged. Tasks are not waited
     * for (a 10,000-task fan-out must not hold up the answer): a task that is never delivered ends
     * its target {@code unreachable} at the accept deadline, and the failure is logged.
     */
    private void publishDue(List<Task> all, boolean includeCoalesced) {
        List<Task> tasks = route(all);
        synchronized (publicationLock) {
            List<JobStatus> due = includeCoalesced ? engine.takeDueStatuses() : engine.takeUrgentStatuses();
            List<CompletableFuture<?>> sent = out.statuses().publish(due);
            if (!tasks.isEmpty()) {
                List<CompletableFuture<?>> dispatched = out.agents().send(tasks);
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
            List<JobStatus> failed = new ArrayList<>();
            Throwable firstCause = null;
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).join();
                } catch (CompletionException e) {
                    failed.add(due.get(i));
                    firstCause = firstCause == null ? e.getCause() : firstCause;
                }
            }
            if (!failed.isEmpty()) {
                // Pending again, so the commit gate stays closed and a later publication retries them;
                // failing here also stops the consumer from committing the batch.
                engine.unpublished(failed);
                throw new StatusNotPublished(failed.size(), due.size(), firstCause);
            }
        }
    }
}
