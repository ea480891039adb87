package net.goldentooth.agent.tasks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.tasks.admission.Admission;
import net.goldentooth.agent.tasks.admission.Decision;
import net.goldentooth.agent.tasks.admission.RejectionReason;
import net.goldentooth.agent.tasks.execution.ProgressSink;
import net.goldentooth.agent.tasks.execution.TaskProgress;
import net.goldentooth.agent.tasks.execution.TaskExecutor;
import net.goldentooth.agent.tasks.execution.TaskRunner;
import net.goldentooth.agent.tasks.ledger.TaskLedger;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * What happens to the records of {@code job.tasks}: each is admitted or rejected as it comes
 * ({@link #accept}); at the end of the consumer's batch ({@link #startAccepted}) the ledger is
 * synced once, then each accepted task is reported ACCEPTED and queued for the pool. So nothing
 * runs before its id is on disk, and the consumer thread pays one fsync per batch, never a
 * command's run time. A pool thread marks the task started in the ledger (synced) before running
 * it, so after a crash the tasks still queued are {@link #resume resumed} and the started ones
 * are not. {@link #accept}, {@link #startAccepted} and {@link #resume} are called on the consumer
 * thread only (resume before the consumer starts).
 */
public final class TaskIntake implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TaskIntake.class);

    private final Admission admission;
    private final TaskLedger ledger;
    private final TaskExecutor runner;
    private final ProgressSink sink;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final List<Task> accepted = new ArrayList<>();

    public TaskIntake(Admission admission, TaskLedger ledger, TaskExecutor runner, ProgressSink sink,
                      AgentMetrics metrics, Clock clock, int maxConcurrentTasks) {
        if (maxConcurrentTasks < 1) {
            throw new IllegalArgumentException("goldentooth.agent.max-concurrent-tasks must be at least 1, was "
                    + maxConcurrentTasks);
        }
        this.admission = admission;
        this.ledger = ledger;
        this.runner = runner;
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        // Unbounded queue: an admitted task is already in the ledger, so refusing it here would lose it.
        this.pool = new ThreadPoolExecutor(maxConcurrentTasks, maxConcurrentTasks, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "task-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Admits or rejects one record keyed {@code recordKey}; an accepted task waits for {@link #startAccepted}. */
    public void accept(String recordKey, SignedTask signed) {
        Decision decision = admission.decide(recordKey, signed);
        if (decision instanceof Decision.Accepted accepted && !ledger.record(accepted.task().taskId(),
                accepted.task().expiresAt(), new TaskLedger.Pending(recordKey, signed))) {
            // Two deliveries of one task in a single batch: the first won the ledger.
            decision = new Decision.Rejected(RejectionReason.REPLAYED, "task " + accepted.task().taskId()
                    + " was already run by this agent", accepted.task().jobId(), accepted.task().taskId(),
                    accepted.task().node());
        }
        if (decision instanceof Decision.Rejected rejected) {
            reject(recordKey, rejected);
            return;
        }
        accepted.add(((Decision.Accepted) decision).task());
    }

    /**
     * At start-up, before the consumer runs: every task the ledger holds as received but never
     * started (queued behind the pool, or accepted just before a crash) is admitted again by
     * {@code resumption}, whose replay check looks only at started tasks, and then run like a fresh
     * delivery. One that expired meanwhile is rejected and marked finished, so it is reported once.
     *
     * @return how many tasks were queued again
     */
    public int resume(Admission resumption) {
        int resumed = 0;
        for (TaskLedger.Pending pending : ledger.pending()) {
            Decision decision = resumption.decide(pending.recordKey(), pending.signed());
            if (decision instanceof Decision.Accepted again) {
                LOG.infof("resuming task %s of job %s, received before the restart and never started",
                        again.task().taskId(), again.task().jobId());
                accepted.add(again.task());
                resumed++;
            } else {
                Decision.Rejected rejected = (Decision.Rejected) decision;
                reject(pending.recordKey(), rejected);
                if (rejected.taskId() != null && ledger.contains(rejected.taskId())) {
                    ledger.markFinished(rejected.taskId());
                }
            }
        }
        startAccepted();
        return resumed;
    }

    /** Syncs the ledger, then reports and queues every task accepted since the last call. */
    public void startAccepted() {
        if (accepted.isEmpty()) {
            return;
        }
        // If the sync throws, the tasks stay here and start after the next successful sync.
        ledger.sync();
        List<Task> batch = List.copyOf(accepted);
        accepted.clear();
        for (Task task : batch) {
            TaskProgress progress = new TaskProgress(task, sink, clock);
            progress.accepted();
            metrics.taskAccepted();
            pool.execute(() -> run(progress));
        }
    }

    private void run(TaskProgress progress) {
        Task task = progress.task();
        MDC.put("jobId", task.jobId());
        MDC.put("taskId", task.taskId());
        MDC.put("node", task.node());
        try {
            // On disk before the command starts: from here on a restart never runs it again.
            ledger.markStarted(task.taskId());
            TaskRunner.Finished finished = runner.run(progress);
            ledger.markFinished(task.taskId());
            metrics.taskFinished(finished.outcome());
        } catch (RuntimeException e) {
            LOG.errorf(e, "task %s failed inside the agent", task.taskId());
            metrics.taskFinished("failed");
        } finally {
            MDC.remove("jobId");
            MDC.remove("taskId");
            MDC.remove("node");
        }
    }

    private void reject(String recordKey, Decision.Rejected rejected) {
        metrics.taskRejected(rejected.reason());
        LOG.warnf("rejected task %s of job %s for %s: %s", rejected.taskId(), rejected.jobId(), recordKey,
                rejected.message());
        JobProgress progress = new JobProgress(rejected.jobId(), rejected.taskId(), rejected.node(),
                ProgressKind.REJECTED, 0, clock.instant(), null, null, null, null, null, null, rejected.message());
        String key = rejected.jobId() != null ? rejected.jobId() : recordKey;
        if (key != null) {
            sink.emit(key, progress);
        }
    }

    /** Tasks waiting for a free slot in the pool. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Stops taking work and lets the running tasks finish for a while. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
