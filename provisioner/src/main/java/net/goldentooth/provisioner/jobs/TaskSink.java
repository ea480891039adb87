package net.goldentooth.provisioner.jobs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.job.Task;

/** Where tasks for agents go: signed and sent on {@code job.tasks}, keyed by node. */
public interface TaskSink {

    /** Sends without waiting; one future per task, in the order given, completed when the broker has it. */
    List<CompletableFuture<?>> send(List<Task> tasks);
}
