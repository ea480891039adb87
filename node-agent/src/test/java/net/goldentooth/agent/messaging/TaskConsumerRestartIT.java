package net.goldentooth.agent.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.goldentooth.agent.config.HostedNodes;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.tasks.TaskIntake;
import net.goldentooth.agent.tasks.admission.Admission;
import net.goldentooth.agent.tasks.execution.TaskRunner;
import net.goldentooth.agent.tasks.ledger.TaskLedger;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.events.signing.TaskVerifier;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's task path built by hand, stopped and started again like a restarted systemd unit. */
class TaskConsumerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();
    private final SigningKeys.KeyPair key = SigningKeys.generate();
    private final TaskSigner signer = new TaskSigner(key);
    private final HostedNodes nodes = HostedNodes.of("restart-" + UUID.randomUUID().toString().substring(0, 8),
            List.of(), 0, "sim-");

    @TempDir
    Path stateDir;

    /** One running agent: ledger, intake and consumer over a shared publisher. */
    private final class Agent implements AutoCloseable {
        final TaskLedger ledger;
        final TaskIntake intake;
        final TaskConsumer consumer;

        Agent(EventPublisher publisher) throws Exception {
            Clock clock = Clock.systemUTC();
            AgentMetrics metrics = new AgentMetrics(new SimpleMeterRegistry());
            ledger = TaskLedger.open(stateDir, clock);
            Admission admission = new Admission(new TaskVerifier(List.of(key.publicKey())), Set.of(key.keyId()),
                    nodes::hosts, ledger::contains, false, clock);
            intake = new TaskIntake(admission, ledger, new TaskRunner(1 << 20, false),
                    new ProgressPublisher(new Outbox(publisher,
                            new Outbox.BacklogBounds(1000, 1 << 20, Duration.ofSeconds(10)), clock),
                            nodes.primary(), clock), metrics, clock, 2);
            consumer = new TaskConsumer(bootstrap, nodes, intake, publisher, metrics);
            assertTrue(consumer.awaitAssignment(WAIT));
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            intake.close();
            ledger.close();
        }
    }

    @Test
    void aRestartedAgentResumesWhereItStoppedAndRunsNothingTwice() throws Exception {
        Path runs = stateDir.resolve("runs");
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//node-agent/" + nodes.primary(),
                Clock.systemUTC());
             TopicProbe probe = new TopicProbe(bootstrap)) {
            Task first = task("echo first >> " + runs);
            try (Agent agent = new Agent(publisher)) {
                publisher.publish(Topics.JOB_TASKS, nodes.primary(), signer.sign(first)).get();
                awaitFinished(probe, first);
            }
            // Sent while the agent is down: the committed offset makes the next agent read it.
            Task whileDown = task("echo while-down >> " + runs);
            publisher.publish(Topics.JOB_TASKS, nodes.primary(), signer.sign(whileDown)).get();
            try (Agent agent = new Agent(publisher)) {
                awaitFinished(probe, whileDown);
                assertEquals(2, agent.ledger.size());
            }
            assertEquals(List.of("first", "while-down"), Files.readAllLines(runs));
        }
    }

    private Task task(String command) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return new Task("job-" + id, "task-" + id, nodes.primary(), new TaskSpec(command, null, false, 30_000, 4096),
                now.minusSeconds(1), now.plusSeconds(600));
    }

    private static void awaitFinished(TopicProbe probe, Task task) {
        probe.awaitRecord(Topics.JOB_PROGRESS, r -> task.jobId().equals(r.key())
                && EventCodec.decode(r.value(), JobProgress.class).kind() == ProgressKind.FINISHED, WAIT);
    }
}
