package net.goldentooth.provisioner.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.api.JobSummary;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/**
 * The job table and every transition of it: starting a job (plan and first dispatch window),
 * folding {@code job.progress}, deadlines, and which statuses are due for publication. Pure: the
 * clock and id source are given, nothing here does I/O. Thread-safe (one lock; every operation is
 * O(1) per event except snapshots, which the caller takes only when it publishes or serves one).
 */
public final class JobEngine {

    /**
     * A job of one target publishes every change; from two targets on, a running job publishes at
     * most once per status-coalesce (its first status and its terminal one at once). Publishing
     * and awaiting a status per progress batch cost the 13-node {@code command all uptime} about a
     * status per record its agents sent, most of the provisioner's and the broker's CPU per job
     * (bench/fanout, "CPU per job"); nobody reads the intermediate ones sooner, because the SSE
     * stream follows the engine, not the topic.
     */
    public static final int COALESCE_MIN_TARGETS = 2;
    /**
     * A running job's coalesce window grows by this per target beyond what status-coalesce gives:
     * a status costs the provisioner (snapshot, encoding, send, acknowledgement, under the engine's
     * and the publication lock) and the broker about in proportion to its targets, so a window in
     * proportion too bounds what intermediate statuses cost per second, whatever the job's size:
     * a 10,000-target job's (~1.5 MB each) go out every 2.5 s instead of ten a second. Up to 400
     * targets the default 100 ms rules. Terminal statuses still go out at once (bench/fanout,
     * docs/benchmarks.md "10,000 simulated nodes").
     */
    public static final Duration COALESCE_PER_TARGET = Duration.ofNanos(250_000);
    /** How long records after a gap in seq wait for the gap to fill before they are folded anyway. */
    public static final Duration REORDER_WAIT = Duration.ofSeconds(1);
    /**
     * The unit of ownership: a job lives on partition {@code murmur2(jobId) % PARTITIONS} of both
     * {@code job.progress} and {@code job.status} (Kafka's default partitioner, keyed by job id), and
     * whoever holds that partition of {@code job.progress} in group {@code provisioner} owns the job.
     */
    public static final int PARTITIONS = Topics.partitionsOf(Topics.JOB_PROGRESS);
    /** How many fresh ids {@link #start} draws at most to find one on a partition this instance owns. */
    private static final int ID_DRAWS = 1000;

    static {
        if (Topics.partitionsOf(Topics.JOB_STATUS) != PARTITIONS) {
            throw new IllegalStateException("job.status and job.progress must have as many partitions (ownership "
                    + "follows job.progress partitions, rebuilding reads the same job.status partitions): "
                    + Topics.partitionsOf(Topics.JOB_STATUS) + " and " + PARTITIONS);
        }
    }

    /**
     * This instance owns no partition (yet): it cannot start a job. Retryable: a rebalance is under
     * way, or there are more instances than partitions.
     */
    public static final class NotOwner extends net.goldentooth.provisioner.errors.ProvisionerException {
        NotOwner(String message) {
            super(net.goldentooth.provisioner.errors.ErrorKind.UNAVAILABLE, message, List.of(), Map.of(), null);
        }
    }

    /** @param created false when the idempotency key matched an earlier job, which {@code status} is */
    public record Submission(JobStatus status, boolean created, List<Task> tasks) {
    }

    /**
     * @param jobId   the job the progress belongs to, or null when it was ignored
     * @param changed the job's state changed (a status is due)
     * @param output  OUTPUT records folded by this call, in seq order, for live streams
     * @param tasks   tasks that the concurrency window now lets out
     */
    public record Folded(String jobId, boolean changed, List<JobProgress> output, List<Task> tasks) {
        static final Folded NOTHING = new Folded(null, false, List.of(), List.of());
    }

    /** @param changedJobs jobs whose state a deadline changed */
    public record Tick(Set<String> changedJobs, List<JobProgress> output, List<Task> tasks) {
    }

    private final EngineSettings settings;
    private final Clock clock;
    private final Supplier<String> ids;
    private final EngineListener listener;

    private final Map<String, Job> jobs = new HashMap<>();
    private final List<Job> newestLast = new ArrayList<>();
    private final Map<String, String> jobByIdempotencyKey = new HashMap<>();
    private final Map<String, Target> targetByTaskId = new HashMap<>();
    /** Targets dispatched, accepted or running: the only ones a deadline can change. */
    private final Set<Target> inFlight = new LinkedHashSet<>();
    /** Targets holding records that arrived ahead of a gap. */
    private final Set<Target> reordering = new LinkedHashSet<>();
    private final Set<Job> dirty = new LinkedHashSet<>();
    /** Partitions this instance owns: only their jobs are folded, ticked, dispatched and published. */
    private final Set<Integer> owned = new HashSet<>();
    /** A copy of {@link #owned} readable without the lock (the progress tail asks for every record). */
    private volatile Set<Integer> ownedView;
    /** Statuses of owned jobs written by someone else (a zombie owner), counted for tests and logs. */
    private long foreignStatuses;

    /** An engine that owns every partition: one instance, or before the group has said otherwise. */
    public JobEngine(EngineSettings settings, Clock clock, Supplier<String> ids, EngineListener listener) {
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
        this.listener = listener;
        for (int p = 0; p < PARTITIONS; p++) {
            owned.add(p);
        }
        ownedView = Set.copyOf(owned);
    }

    /** The partition of {@code job.progress} and {@code job.status} a job id lands on. */
    public static int partitionOf(String jobId) {
        return NodeRouting.partitionFor(jobId, PARTITIONS);
    }

    /** Whether this instance owns the job's partition. */
    public boolean owns(String jobId) {
        return ownedView.contains(partitionOf(jobId));
    }

    /** The partitions this instance owns, sorted. */
    public List<Integer> ownedPartitions() {
        return ownedView.stream().sorted().toList();
    }

    /** How many statuses of owned jobs arrived from another writer. */
    public synchronized long foreignStatuses() {
        return foreignStatuses;
    }

    /**
     * These partitions are no longer this instance's (a rebalance gave them away, or the group lost
     * this member). Their jobs stay in the table for reads and follow {@code job.status} from now on;
     * nothing about them is folded, ticked, dispatched or published here. What was folded and not
     * published stays marked, so that if the partition comes back before anyone else published the
     * job, it is published then.
     *
     * @return the running jobs given away, for their local runners to stop
     */
    public synchronized List<JobStatus> release(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        ownedView = Set.copyOf(owned);
        List<JobStatus> running = new ArrayList<>();
        for (Job job : newestLast) {
            if (!job.state.terminal() && partitions.contains(job.partition)) {
                running.add(job.snapshot());
            }
        }
        return running;
    }

    /**
     * Makes every pending status of these partitions due now, coalescing or not: what an owner
     * publishes before it gives the partitions away.
     */
    public synchronized void hurry(Collection<Integer> partitions) {
        for (Job job : dirty) {
            if (partitions.contains(job.partition)) {
                job.lastPublishedAt = null;
            }
        }
    }

    /**
     * These partitions are now this instance's. The caller has first brought their jobs up to date
     * from {@code job.status} ({@link #restore}), then calls {@link #resume(Collection)} for them.
     */
    public synchronized void own(Collection<Integer> partitions) {
        for (int p : partitions) {
            if (p < 0 || p >= PARTITIONS) {
                throw new IllegalArgumentException("partition " + p + " is not one of job.progress's 0.." + (PARTITIONS - 1));
            }
        }
        owned.addAll(partitions);
        ownedView = Set.copyOf(owned);
    }

    private boolean owned(Job job) {
        return owned.contains(job.partition);
    }

    public EngineSettings settings() {
        return settings;
    }

    public synchronized Optional<JobStatus> findByIdempotencyKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(jobByIdempotencyKey.get(key)).map(jobs::get).map(Job::snapshot);
    }

    /** Starts a validated job: every target pending, then the first window dispatched. */
    public synchronized Submission start(JobPlan plan) {
        Optional<JobStatus> earlier = findByIdempotencyKey(plan.request().idempotencyKey());
        if (earlier.isPresent()) {
            return new Submission(earlier.get(), false, List.of());
        }
        Instant now = clock.instant();
        Job job = new Job(ownedId(), plan.request(), now, plan.timeout(), plan.concurrency().window(plan.targets().size()));
        job.deadline = now.plus(plan.timeout()).plus(settings.dispatchGrace());
        for (String node : plan.targets()) {
            Target target = new Target(job.id, node, ids.get(), now);
            job.targets.put(node, target);
            job.pending.add(target);
            job.count(null, TargetState.PENDING);
            targetByTaskId.put(target.taskId, target);
        }
        jobs.put(job.id, job);
        newestLast.add(job);
        if (plan.request().idempotencyKey() != null) {
            jobByIdempotencyKey.put(plan.request().idempotencyKey(), job.id);
        }
        List<Task> tasks = new ArrayList<>();
        fillWindow(job, now, tasks);
        markDirty(job);
        listener.jobCreated();
        return new Submission(job.snapshot(), true, tasks);
    }

    /** A fresh job id on a partition this instance owns (uniform ids: one draw in N on average for N/6 owned). */
    private String ownedId() {
        if (owned.isEmpty()) {
            throw new NotOwner("this provisioner owns no partition of job.progress at the moment (a rebalance is "
                    + "under way, or there are more instances than the " + PARTITIONS + " partitions)");
        }
        for (int i = 0; i < ID_DRAWS; i++) {
            String id = ids.get();
            if (owned.contains(partitionOf(id))) {
                return id;
            }
        }
        throw new IllegalStateException("the id source gave " + ID_DRAWS + " ids none of which lands on partitions "
                + owned + "; ids must be random");
    }

    /**
     * Folds one progress record; duplicates, unknown tasks and jobs of partitions this instance does
     * not own change nothing (a zombie's consumer must not fold after its partitions moved).
     */
    public synchronized Folded fold(JobProgress progress) {
        Target target = progress.taskId() == null ? null : targetByTaskId.get(progress.taskId());
        if (target == null || !target.jobId.equals(progress.jobId()) || !target.node.equals(progress.node())
                || !owned(jobOf(target))) {
            listener.progressIgnored();
            return Folded.NOTHING;
        }
        long expected = target.nextSeq();
        if (progress.seq() < expected || target.early.containsKey(progress.seq())) {
            listener.progressDuplicate();
            return new Folded(target.jobId, false, List.of(), List.of());
        }
        Instant now = clock.instant();
        if (progress.seq() > expected) {
            if (target.early.isEmpty()) {
                target.earlySince = now;
                reordering.add(target);
            }
            target.early.put(progress.seq(), progress);
            return new Folded(target.jobId, false, List.of(), List.of());
        }
        List<JobProgress> output = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        boolean changed = apply(target, progress, now, output, tasks);
        while (!target.early.isEmpty() && target.early.firstKey() == target.nextSeq()) {
            changed |= apply(target, target.early.pollFirstEntry().getValue(), now, output, tasks);
        }
        if (target.early.isEmpty()) {
            reordering.remove(target);
        }
        return new Folded(target.jobId, changed, output, tasks);
    }

    /**
     * Applies the deadlines due now: dispatched targets nobody accepted become {@code unreachable},
     * accepted or running targets past timeout plus grace become {@code timed-out}; records held for
     * a gap in seq longer than {@link #REORDER_WAIT} are folded without it.
     */
    public synchronized Tick applyDeadlines() {
        Instant now = clock.instant();
        Set<String> changed = new LinkedHashSet<>();
        List<JobProgress> output = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        for (Target target : new ArrayList<>(reordering)) {
            if (!owned(jobOf(target))) {
                continue;
            }
            boolean runOver = target.runBy != null && !now.isBefore(target.runBy);
            if (runOver || !now.isBefore(target.earlySince.plus(REORDER_WAIT))) {
                if (drainEarly(target, now, output, tasks)) {
                    changed.add(target.jobId);
                }
            }
        }
        for (Target target : new ArrayList<>(inFlight)) {
            if (!owned(jobOf(target))) {
                continue;
            }
            if (target.state == TargetState.DISPATCHED && !now.isBefore(target.acceptBy)) {
                finish(target, TargetState.UNREACHABLE, "no agent accepted the task within "
                        + human(settings.acceptDeadline()), now, tasks);
                changed.add(target.jobId);
            } else if ((target.state == TargetState.ACCEPTED || target.state == TargetState.RUNNING)
                    && !now.isBefore(target.runBy)) {
                finish(target, TargetState.TIMED_OUT, "no result within the timeout of "
                        + human(jobOf(target).timeout) + " plus " + human(settings.dispatchGrace()) + " grace", now, tasks);
                changed.add(target.jobId);
            }
        }
        return new Tick(changed, output, tasks);
    }

    private boolean drainEarly(Target target, Instant now, List<JobProgress> output, List<Task> tasks) {
        boolean changed = false;
        while (!target.early.isEmpty()) {
            JobProgress next = target.early.pollFirstEntry().getValue();
            changed |= apply(target, next, now, output, tasks);
        }
        reordering.remove(target);
        return changed;
    }

    /** One in-order record. Returns whether anything a status shows changed. */
    private boolean apply(Target target, JobProgress p, Instant now, List<JobProgress> output, List<Task> tasks) {
        target.lastSeq = p.seq();
        target.changed(now);
        Job job = jobOf(target);
        job.updatedAt = now;
        markDirty(job);
        boolean deadlineDecided = target.state.decidedByDeadline();
        switch (p.kind()) {
            case ACCEPTED -> {
                if (rank(target.state) < rank(TargetState.ACCEPTED)) {
                    move(target, TargetState.ACCEPTED);
                    target.runBy = now.plus(job.timeout).plus(settings.dispatchGrace());
                    if (target.runBy.isAfter(job.deadline)) {
                        job.deadline = target.runBy;
                    }
                }
            }
            case STARTED -> {
                if (rank(target.state) < rank(TargetState.RUNNING)) {
                    startRunning(target, now);
                }
            }
            case OUTPUT -> {
                if (rank(target.state) < rank(TargetState.RUNNING)) {
                    startRunning(target, now);
                }
                target.append(p.stream(), p.data(), settings.maxOutputBytes());
                output.add(p);
            }
            case FINISHED -> {
                if (!target.state.terminal() || deadlineDecided) {
                    target.exitCode = p.exitCode();
                    target.durationMs = p.durationMs();
                    target.truncated |= Boolean.TRUE.equals(p.truncated());
                    if (Boolean.TRUE.equals(p.timedOut())) {
                        finish(target, TargetState.TIMED_OUT, "killed by the agent at the timeout of "
                                + human(job.timeout), now, tasks);
                    } else if (p.exitCode() != null && p.exitCode() == 0) {
                        finish(target, TargetState.SUCCEEDED, null, now, tasks);
                    } else {
                        finish(target, TargetState.FAILED, p.exitCode() == null ? "finished without an exit code"
                                : "exit code " + p.exitCode(), now, tasks);
                    }
                }
            }
            case REJECTED -> {
                if (!target.state.terminal() || deadlineDecided) {
                    finish(target, TargetState.REJECTED, p.reason() == null ? "rejected by the agent" : p.reason(),
                            now, tasks);
                }
            }
            case UNREACHABLE -> {
                if (!target.state.terminal() || deadlineDecided) {
                    finish(target, TargetState.UNREACHABLE, p.reason() == null ? "unreachable" : p.reason(), now, tasks);
                }
            }
            default -> throw new IllegalStateException("unknown progress kind " + p.kind());
        }
        return true;
    }

    private void startRunning(Target target, Instant now) {
        if (target.runBy == null || target.state == TargetState.DISPATCHED) {
            target.runBy = now.plus(jobOf(target).timeout).plus(settings.dispatchGrace());
        }
        move(target, TargetState.RUNNING);
    }

    /** Pending, dispatched, accepted, running: the order a target moves in before it ends. */
    private static int rank(TargetState state) {
        return state.terminal() ? Integer.MAX_VALUE : state.ordinal();
    }

    private void move(Target target, TargetState to) {
        jobOf(target).count(target.state, to);
        target.state = to;
        if (to == TargetState.DISPATCHED || to == TargetState.ACCEPTED || to == TargetState.RUNNING) {
            inFlight.add(target);
        }
    }

    private void finish(Target target, TargetState to, String reason, Instant now, List<Task> tasks) {
        Job job = jobOf(target);
        boolean wasTerminal = target.state.terminal();
        move(target, to);
        target.reason = reason;
        target.changed(now);
        inFlight.remove(target);
        listener.targetFinished(to);
        if (!wasTerminal) {
            job.outstanding--;
            fillWindow(job, now, tasks);
        }
        JobState before = job.state;
        job.state = job.derivedState();
        job.updatedAt = now;
        if (job.state.terminal() && job.state != before) {
            job.terminalChange = true;
        }
        markDirty(job);
    }

    /** Dispatches pending targets while the window has room. */
    private void fillWindow(Job job, Instant now, List<Task> tasks) {
        while (job.outstanding < job.window && !job.pending.isEmpty()) {
            Target target = job.pending.removeFirst();
            move(target, TargetState.DISPATCHED);
            target.changed(now);
            target.acceptBy = now.plus(settings.acceptDeadline());
            Instant expiresAt = now.plus(job.timeout).plus(settings.dispatchGrace());
            target.runBy = expiresAt;
            if (expiresAt.isAfter(job.deadline)) {
                job.deadline = expiresAt;
            }
            job.outstanding++;
            tasks.add(taskFor(target, now, expiresAt));
        }
    }

    private Task taskFor(Target target, Instant now, Instant expiresAt) {
        Job job = jobOf(target);
        TaskSpec spec = new TaskSpec(job.request.command(), job.request.stdin(),
                job.request.kind() == JobKind.COMMAND_ROOT, job.timeout.toMillis(), settings.maxOutputBytes());
        return new Task(job.id, target.taskId, target.node, spec, now, expiresAt);
    }

    /**
     * Records that these tasks go to the SSH executor instead of an agent: their targets show
     * {@code via: ssh}. Unknown task ids are ignored.
     */
    public synchronized void routedOverSsh(List<Task> tasks) {
        for (Task task : tasks) {
            Target target = targetByTaskId.get(task.taskId());
            if (target != null) {
                target.via = Via.SSH;
                target.changed(clock.instant());
                markDirty(jobOf(target));
            }
        }
    }

    /** A target's job; targets hold its id, not the job, so the two classes do not depend on each other. */
    private Job jobOf(Target target) {
        return jobs.get(target.jobId);
    }

    private void markDirty(Job job) {
        job.dirty = true;
        dirty.add(job);
    }

    /**
     * Rebuilds a job from its last published status (start-up replay of {@code job.status}); a
     * record older than what the table holds is ignored.
     */
    public synchronized void restore(JobStatus status) {
        Job existing = jobs.get(status.jobId());
        if (existing != null && existing.revision >= status.revision()) {
            return;
        }

        if (existing != null) {
            forget(existing);
        }
        JobRequest request = status.request();
        Duration timeout = request.timeoutSeconds() == null ? settings.defaultTimeout()
                : Duration.ofSeconds(request.timeoutSeconds());
        int size = status.targets() == null ? 0 : status.targets().size();
        Concurrency concurrency;
        try {
            concurrency = Concurrency.parse(request.concurrency());
        } catch (JobRequestException e) {
            concurrency = Concurrency.UNLIMITED;
        }
        Job job = new Job(status.jobId(), request, status.createdAt(), timeout, concurrency.window(size));
        job.updatedAt = status.updatedAt();
        job.deadline = status.deadline() == null ? status.createdAt().plus(timeout) : status.deadline();
        job.revision = status.revision();
        job.state = status.state();
        job.lastPublishedAt = status.updatedAt();
        if (status.targets() != null) {
            for (TargetStatus ts : status.targets().values()) {
                Target target = new Target(job.id, ts.node(), ts.taskId(), ts.updatedAt());
                target.exitCode = ts.exitCode();
                target.durationMs = ts.durationMs();
                target.reason = ts.reason();
                target.via = Via.fromWire(ts.via());
                if (ts.stdout() != null) {
                    target.append("stdout", ts.stdout(), Integer.MAX_VALUE);
                }
                if (ts.stderr() != null) {
                    target.append("stderr", ts.stderr(), Integer.MAX_VALUE);
                }
                target.truncated = ts.truncated();
                target.lastSeq = ts.lastSeq();
                job.targets.put(ts.node(), target);
                job.count(null, ts.state());
                target.state = ts.state();
                if (ts.state() == TargetState.PENDING) {
                    job.pending.add(target);
                } else if (!ts.state().terminal()) {
                    job.outstanding++;
                    inFlight.add(target);
                }
                if (ts.taskId() != null) {
                    targetByTaskId.put(ts.taskId(), target);
                }
            }
        }
        jobs.put(job.id, job);
        insertByCreation(job);
        if (request.idempotencyKey() != null) {
            jobByIdempotencyKey.put(request.idempotencyKey(), job.id);
        }
    }

    /**
     * A record of the live tail of {@code job.status}, which every instance follows for reads. A job
     * of a partition this instance does not own is brought up to date (as {@link #restore}). A job
     * it owns is written only here, so a newer record is a zombie's: an owner that paused past its
     * session and has not yet noticed it lost the partition. The table here stays authoritative (it
     * folds everything from the committed offsets; the zombie's commits are refused) and is
     * published again above the zombie's revision, so readers and the compacted topic follow it. A
     * job created by a zombie on an owned partition is taken over with fresh deadlines.
     */
    public synchronized void observe(JobStatus status) {
        Job existing = jobs.get(status.jobId());
        boolean mine = owned.contains(partitionOf(status.jobId()));
        if (!mine) {
            restore(status);
            return;
        }
        if (existing == null) {
            foreignStatuses++;
            restore(status);
            Job job = jobs.get(status.jobId());
            freshDeadlines(job, clock.instant());
            markDirty(job);
        } else if (status.revision() > existing.revision) {
            foreignStatuses++;
            existing.revision = status.revision();
            markDirty(existing);
        }
    }

    private void freshDeadlines(Job job, Instant now) {
        for (Target target : job.targets.values()) {
            if (inFlight.contains(target)) {
                target.acceptBy = now.plus(settings.acceptDeadline());
                Instant run = target.updatedAt.plus(job.timeout).plus(settings.dispatchGrace());
                target.runBy = run.isAfter(target.acceptBy) ? run : target.acceptBy;
            }
        }
    }

    private void forget(Job job) {
        job.targets.values().forEach(t -> {
            targetByTaskId.remove(t.taskId);
            inFlight.remove(t);
            reordering.remove(t);
        });
        newestLast.remove(job);
        dirty.remove(job);
    }

    private void insertByCreation(Job job) {
        int i = newestLast.size();
        while (i > 0 && newestLast.get(i - 1).createdAt.isAfter(job.createdAt)) {
            i--;
        }
        newestLast.add(i, job);
    }

    /**
     * After a restore: in-flight targets get their deadlines anew from now (their results may sit
     * unread on {@code job.progress} while this provisioner was down), and windows are refilled.
     */
    public synchronized List<Task> resume() {
        return resume(List.copyOf(owned));
    }

    /**
     * As {@link #resume()}, for the jobs of these partitions only: what a new owner does after a
     * rebalance gave it partitions and it rebuilt their jobs from {@code job.status}. Tasks already
     * sent are not sent again (their results are read from the committed offsets on); pending
     * targets are dispatched with the task ids their job was created with.
     */
    public synchronized List<Task> resume(Collection<Integer> partitions) {
        Instant now = clock.instant();
        List<Task> tasks = new ArrayList<>();
        for (Job job : newestLast) {
            if (!owned(job) || !partitions.contains(job.partition) || job.state.terminal()) {
                continue;
            }
            freshDeadlines(job, now);
            if (!job.pending.isEmpty()) {
                int before = tasks.size();
                fillWindow(job, now, tasks);
                if (tasks.size() > before) {
                    markDirty(job);
                }
            }
        }
        return tasks;
    }

    public synchronized Optional<JobStatus> status(String jobId) {
        Job job = jobs.get(jobId);
        return job == null ? Optional.empty() : Optional.of(job.snapshot());
    }

    /** The job's request (for routing its tasks); null for an unknown job. */
    public synchronized JobRequest requestOf(String jobId) {
        Job job = jobs.get(jobId);
        return job == null ? null : job.request;
    }

    /** The job's state without a snapshot (cheap for big jobs); null for an unknown job. */
    public synchronized JobState stateOf(String jobId) {
        Job job = jobs.get(jobId);
        return job == null ? null : job.state;
    }

    public synchronized int size() {
        return jobs.size();
    }

    /**
     * Jobs newest first.
     *
     * @param state   only jobs in this state, or null
     * @param node    only jobs with this target, or null
     * @param pattern only jobs requested with exactly this pattern, or null
     */
    public synchronized JobPage page(int offset, int limit, JobState state, String node, String pattern) {
        List<JobSummary> rows = new ArrayList<>();
        int total = 0;
        for (int i = newestLast.size() - 1; i >= 0; i--) {
            Job job = newestLast.get(i);
            if ((state != null && job.state != state) || (node != null && !job.targets.containsKey(node))
                    || (pattern != null && !pattern.equals(job.request.pattern()))) {
                continue;
            }
            if (total >= offset && rows.size() < limit) {
                rows.add(job.summary());
            }
            total++;
        }
        return new JobPage(rows, offset, limit, total);
    }

    /**
     * The statuses due for publication now, each with its revision raised by one. A large job is
     * due at most once per {@link #coalesceWindow(Duration, int) coalesce window} (status-coalesce,
     * longer for jobs of thousands of targets), except when its state becomes terminal; what is not
     * due stays pending for a later call.
     */
    public synchronized List<JobStatus> takeDueStatuses() {
        return take(true);
    }

    /**
     * Like {@link #takeDueStatuses()} but without the coalesced publications of large running jobs:
     * what a hot path (the progress consumer) publishes, so it never serialises a big status
     * mid-job; a timer publishes those.
     */
    public synchronized List<JobStatus> takeUrgentStatuses() {
        return take(false);
    }

    private List<JobStatus> take(boolean includeCoalesced) {
        Instant now = clock.instant();
        List<JobStatus> due = new ArrayList<>();
        for (Job job : new ArrayList<>(dirty)) {
            if (!owned(job)) {
                continue;
            }
            boolean urgent = job.terminalChange || job.targets.size() < COALESCE_MIN_TARGETS
                    || job.lastPublishedAt == null;
            if (urgent || (includeCoalesced && isDue(job, now))) {
                job.revision++;
                job.dirty = false;
                job.terminalChange = false;
                job.lastPublishedAt = now;
                dirty.remove(job);
                due.add(job.snapshot());
            }
        }
        return due;
    }

    /**
     * The broker did not acknowledge these statuses: their jobs are pending again (a terminal
     * change stays urgent), so the commit gate stays closed until a later publication succeeds.
     * The revision they carried is skipped; readers only need revisions to grow.
     */
    public synchronized void unpublished(List<JobStatus> statuses) {
        for (JobStatus status : statuses) {
            Job job = jobs.get(status.jobId());
            if (job != null) {
                job.terminalChange |= status.state().terminal();
                markDirty(job);
            }
        }
    }

    /** How long until the next pending status is due; null when nothing is pending. */
    public synchronized Duration untilNextDue() {
        Instant now = clock.instant();
        Duration next = null;
        for (Job job : dirty) {
            if (!owned(job)) {
                continue;
            }
            Duration wait = isDue(job, now) ? Duration.ZERO
                    : Duration.between(now, job.lastPublishedAt.plus(coalesceWindow(job.targets.size())));
            if (next == null || wait.compareTo(next) < 0) {
                next = wait;
            }
        }
        return next;
    }

    private boolean isDue(Job job, Instant now) {
        return job.terminalChange || job.targets.size() < COALESCE_MIN_TARGETS || job.lastPublishedAt == null
                || !now.isBefore(job.lastPublishedAt.plus(coalesceWindow(job.targets.size())));
    }

    /** How long a running job of {@code targets} targets waits between two published statuses. */
    Duration coalesceWindow(int targets) {
        return coalesceWindow(settings.statusCoalesce(), targets);
    }

    /** status-coalesce, or {@link #COALESCE_PER_TARGET} per target when that is longer. */
    public static Duration coalesceWindow(Duration statusCoalesce, int targets) {
        Duration bySize = COALESCE_PER_TARGET.multipliedBy(Math.max(0, targets));
        return bySize.compareTo(statusCoalesce) > 0 ? bySize : statusCoalesce;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
