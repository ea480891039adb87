package net.goldentooth.provisioner.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.jobs.TaskSink;

/**
 * Signs tasks and sends them on {@code job.tasks}, keyed by node so each lands on the partition its
 * agent reads. Sends without waiting; callers flush once per batch, not per record.
 */
public final class TaskDispatcher implements TaskSink {

    /** Below this, signing on the caller's thread beats handing work to the common pool. */
    private static final int PARALLEL_SIGNING_FROM = 64;

    private final EventPublisher publisher;
    private final TaskSigner signer;

    public TaskDispatcher(EventPublisher publisher, TaskSigner signer) {
        this.publisher = publisher;
        this.signer = signer;
    }

    @Override
    public List<CompletableFuture<?>> send(List<Task> tasks) {
        List<SignedTask> signed = tasks.size() >= PARALLEL_SIGNING_FROM
                ? tasks.parallelStream().map(signer::sign).toList()
                : tasks.stream().map(signer::sign).toList();
        List<CompletableFuture<?>> sent = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            sent.add(publisher.publish(Topics.JOB_TASKS, tasks.get(i).node(), signed.get(i)));
        }
        return sent;
    }
}
