package net.goldentooth.storage.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;
import org.jboss.logging.Logger;

/**
 * The production {@link NodeShell}: each command is a {@code command_root} job for one node,
 * published on {@code job.requested} with an idempotency key chosen here; the result is the
 * {@code job.status} record whose request carries that key, once the job is terminal.
 */
public final class KafkaNodeShell implements NodeShell, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaNodeShell.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** Beyond the job's own timeout: the provisioner's dispatch grace and deadline tick. */
    private static final Duration RESULT_SLACK = Duration.ofSeconds(60);

    private final EventPublisher publisher;
    private final Duration commandTimeout;
    private final Map<String, CompletableFuture<JobStatus>> pending = new ConcurrentHashMap<>();
    private final ConsumerLoop<JobStatus> statuses;

    public KafkaNodeShell(String bootstrap, EventPublisher publisher, Duration commandTimeout)
            throws InterruptedException {
        this.publisher = publisher;
        this.commandTimeout = commandTimeout;
        this.statuses = ConsumerLoop.builder(bootstrap, Topics.JOB_STATUS, JobStatus.class)
                .clientId("storage-service-job-status")
                .assignAllPartitions()
                .start(ConsumerLoop.Start.LATEST)
                .deadLetters(publisher, (topic, reason) -> LOG.warnf("dead-lettered a %s record: %s", topic, reason))
                .handler(d -> complete(d.event()))
                .start();
        if (!statuses.awaitAssignment(Duration.ofSeconds(60))) {
            throw new IllegalStateException("job.status consumer was not assigned within 60 s");
        }
    }

    public boolean isRunning() {
        return statuses.isRunning();
    }

    private void complete(JobStatus status) {
        if (status.request() == null || status.request().idempotencyKey() == null || status.state() == null
                || !status.state().terminal()) {
            return;
        }
        CompletableFuture<JobStatus> future = pending.get(status.request().idempotencyKey());
        if (future != null) {
            future.complete(status);
        }
    }

    @Override
    public ShellResult run(String node, String command, String stdin) {
        String key = "storage-" + UUID.randomUUID();
        CompletableFuture<JobStatus> result = new CompletableFuture<>();
        pending.put(key, result);
        try {
            int timeoutSeconds = (int) Math.min(86_400, Math.max(1, commandTimeout.toSeconds()));
            JobRequest request = new JobRequest(key, JobKind.COMMAND_ROOT, node, command, stdin, timeoutSeconds,
                    null, false, "storage-service");
            publisher.publish(Topics.JOB_REQUESTED, key, request).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            JobStatus status = result.get(commandTimeout.plus(RESULT_SLACK).toMillis(), TimeUnit.MILLISECONDS);
            return toResult(node, status);
        } catch (TimeoutException e) {
            throw new NodeShellException(node, "no terminal job.status for job " + key + " in time", true);
        } catch (ExecutionException e) {
            throw new NodeShellException(node, "publishing the job failed: " + e.getCause(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeShellException(node, "interrupted", true);
        } finally {
            pending.remove(key);
        }
    }

    static ShellResult toResult(String node, JobStatus status) {
        TargetStatus target = status.targets() == null ? null : status.targets().get(node);
        if (target == null) {
            throw new NodeShellException(node, "job " + status.jobId() + " has no target " + node, false);
        }
        return switch (target.state()) {
            case SUCCEEDED, FAILED -> {
                if (target.exitCode() == null) {
                    throw new NodeShellException(node, "job " + status.jobId() + " ended without an exit code: "
                            + target.reason(), true);
                }
                if (target.truncated()) {
                    throw new NodeShellException(node, "output of job " + status.jobId() + " was truncated", false);
                }
                yield new ShellResult(target.exitCode(), target.stdout(), target.stderr());
            }
            case REJECTED -> throw new NodeShellException(node, "job " + status.jobId() + " rejected: " + target.reason(),
                    false);
            default -> throw new NodeShellException(node, "job " + status.jobId() + " " + target.state().wire()
                    + (target.reason() == null ? "" : ": " + target.reason()), true);
        };
    }

    @Override
    public void close() {
        statuses.close();
    }
}
