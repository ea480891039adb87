package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs tasks on nodes without an agent, over SSH, and reports them through the same
 * {@code job.progress} records an agent sends, so the provisioner's fold, history, live streams
 * and restart behaviour are the agent path's. Connection failures become distinct outcomes:
 * unreachable ({@link ProgressKind#UNREACHABLE}), and an unknown host, a changed host key or refused
 * credentials ({@link ProgressKind#REJECTED}), each with its reason. Nothing waits without a bound:
 * connect and authentication have timeouts and the command its task's timeout.
 */
public final class SshExecutor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SshExecutor.class);

    /** The body of a task, given the target it runs on (whose login user decides sudo). */
    @FunctionalInterface
    public interface BodyFactory {
        TaskBody bodyFor(Task task, SshTarget target);
    }

    private final SshPool pool;
    private final Function<String, Optional<SshTarget>> targets;
    private final TaskReporter.Sink sink;
    private final Clock clock;
    private final ExecutorService workers;
    private final ExecutorService pumps;

    /**
     * @param targets  a node's address and login, empty when it has none (not in the inventory)
     * @param threads  tasks running at once; the pool bounds connections, this bounds threads waiting for them
     */
    public SshExecutor(SshPool pool, Function<String, Optional<SshTarget>> targets, TaskReporter.Sink sink,
                       Clock clock, int threads) {
        this.pool = pool;
        this.targets = targets;
        this.sink = sink;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(threads, named("ssh-task"));
        this.pumps = Executors.newCachedThreadPool(named("ssh-output"));
    }

    /** The body that runs the task's own command. */
    public BodyFactory commands() {
        return (task, target) -> new RemoteCommand(task.spec(), target.user(), pumps);
    }

    /** Accepts the task at once (it is queued here, not lost) and runs it when a connection is free. */
    public void submit(Task task, BodyFactory bodies) {
        TaskReporter reporter = new TaskReporter(task, sink, clock);
        reporter.accepted();
        workers.execute(() -> run(reporter, bodies));
    }

    private void run(TaskReporter reporter, BodyFactory bodies) {
        Task task = reporter.task();
        MDC.put("jobId", task.jobId());
        MDC.put("node", task.node());
        try {
            Optional<SshTarget> target = targets.apply(task.node());
            if (target.isEmpty()) {
                reporter.refused(ProgressKind.UNREACHABLE, task.node() + " is not in the inventory: no address to reach it over ssh");
                return;
            }
            if (!clock.instant().isBefore(task.expiresAt())) {
                reporter.refused(ProgressKind.UNREACHABLE, "expired at " + task.expiresAt()
                        + " while waiting for a free ssh connection");
                return;
            }
            TaskBody body = bodies.bodyFor(task, target.get());
            TaskBody.Result result = pool.with(target.get(), client -> body.run(client, reporter));
            reporter.finished(result.exitCode(), result.timedOut());
        } catch (SshFailure e) {
            LOG.warnf("job %s on %s over ssh: %s", task.jobId(), task.node(), e.getMessage());
            reporter.refused(e.kind() == SshFailure.Kind.UNREACHABLE ? ProgressKind.UNREACHABLE : ProgressKind.REJECTED,
                    e.getMessage());
        } catch (IOException e) {
            LOG.warnf("job %s on %s over ssh broke: %s", task.jobId(), task.node(), e.toString());
            reporter.output("stderr", "ssh: " + e.getMessage() + "\n");
            reporter.finished(null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reporter.output("stderr", "ssh: the provisioner stopped while the task ran\n");
            reporter.finished(null, false);
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s on %s over ssh failed", task.jobId(), task.node());
            reporter.output("stderr", "ssh: " + e + "\n");
            reporter.finished(null, false);
        } finally {
            MDC.remove("jobId");
            MDC.remove("node");
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
        pumps.shutdownNow();
        pool.close();
    }
}
