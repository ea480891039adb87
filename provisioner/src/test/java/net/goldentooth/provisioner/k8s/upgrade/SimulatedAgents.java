package net.goldentooth.provisioner.k8s.upgrade;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskVerifier;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;

/**
 * Agents for every node, simulated in the test (as in ProvisionerIT): a consumer of every
 * {@code job.tasks} partition verifies each task's signature with the provisioner's public key,
 * records {@code "<node>: <command>"}, and answers accepted then finished on {@code job.progress}.
 */
final class SimulatedAgents implements AutoCloseable {

    /** "node: command" in the order the tasks arrived. */
    final List<String> received = new CopyOnWriteArrayList<>();
    private final EventPublisher publisher;
    private final ConsumerLoop<SignedTask> loop;

    /** @param failing commands it matches exit 1; the rest exit 0 */
    SimulatedAgents(String bootstrap, Path publicKey, Predicate<String> failing) throws IOException, InterruptedException {
        TaskVerifier verifier = new TaskVerifier(List.of(SigningKeys.readPublicKey(publicKey)));
        publisher = new EventPublisher(bootstrap, "//simulated-agent", Clock.systemUTC());
        loop = ConsumerLoop.builder(bootstrap, Topics.JOB_TASKS, SignedTask.class)
                .assign(IntStream.range(0, Topics.NODE_ROUTED_PARTITIONS).boxed().toList())
                .start(ConsumerLoop.Start.LATEST)
                .deadLetters(publisher, (topic, reason) -> { })
                .handler(d -> answer(verifier.verify(d.event()), failing))
                .start();
        assertTrue(loop.awaitAssignment(Duration.ofSeconds(30)));
    }

    private void answer(Task task, Predicate<String> failing) {
        assertTrue(task.spec().root(), "every upgrade step runs as root");
        received.add(task.node() + ": " + task.spec().command());
        int exit = failing.test(task.spec().command()) ? 1 : 0;
        publisher.publish(Topics.JOB_PROGRESS, task.jobId(), JobProgress.of(task, ProgressKind.ACCEPTED, 0, Instant.now()));
        publisher.publish(Topics.JOB_PROGRESS, task.jobId(), JobProgress.of(task, ProgressKind.FINISHED, 1, Instant.now())
                .withResult(exit, 5, false, false));
        publisher.flush();
    }

    @Override
    public void close() {
        loop.close();
        publisher.close();
    }
}
