package net.goldentooth.agent.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.goldentooth.agent.AgentLifecycle;
import net.goldentooth.agent.AgentTestResource;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** One process hosting 40 simulated nodes, as in the scale tests: one consumer over their partitions. */
@QuarkusTest
@QuarkusTestResource(value = AgentTestResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "goldentooth.agent.simulated-count", value = "40"),
        @ResourceArg(name = "goldentooth.agent.simulated-prefix", value = "simit-"),
        @ResourceArg(name = "goldentooth.agent.facts-interval", value = "4s")})
class SimulatedNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    AgentLifecycle agent;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "goldentooth.agent.trusted-key-files")
    String trustedKeyFile;

    @Test
    void tasksForSimulatedNodesOnOtherPartitionsRunHereAndTheirFactsArePublished() throws Exception {
        assertTrue(agent.awaitTaskConsumerAssigned(WAIT));
        List<String> simulated = agent.nodes().simulated();
        assertEquals(40, simulated.size());
        int primaryPartition = NodeRouting.partitionFor(agent.nodes().primary(), Topics.NODE_ROUTED_PARTITIONS);
        String elsewhere = simulated.stream()
                .filter(n -> NodeRouting.partitionFor(n, Topics.NODE_ROUTED_PARTITIONS) != primaryPartition)
                .findFirst().orElseThrow();

        Path publicKey = Path.of(trustedKeyFile);
        TaskSigner signer = new TaskSigner(SigningKeys.loadOrCreate(publicKey.resolveSibling("task-signing.key"),
                publicKey));
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Task task = new Task("job-" + id, "task-" + id, elsewhere, new TaskSpec("echo simulated", null, false, 30_000,
                4096), now, now.plusSeconds(600));
        try (EventPublisher provisioner = new EventPublisher(bootstrap, "//provisioner", Clock.systemUTC());
             TopicProbe probe = new TopicProbe(bootstrap)) {
            provisioner.publish(Topics.JOB_TASKS, elsewhere, signer.sign(task)).get();
            List<ConsumerRecord<String, byte[]>> progress = probe.awaitRecord(Topics.JOB_PROGRESS,
                    r -> task.jobId().equals(r.key())
                            && EventCodec.decode(r.value(), JobProgress.class).kind() == ProgressKind.FINISHED, WAIT);
            JobProgress finished = EventCodec.decode(progress.get(progress.size() - 1).value(), JobProgress.class);
            assertEquals(elsewhere, finished.node());
            assertEquals(0, finished.exitCode());
            assertEquals("//node-agent/" + elsewhere,
                    TopicProbe.header(progress.get(progress.size() - 1), "ce_source"));

            String last = simulated.get(simulated.size() - 1);
            List<ConsumerRecord<String, byte[]>> facts = probe.awaitRecord(Topics.NODE_FACTS,
                    r -> last.equals(r.key()), WAIT);
            NodeFacts lastFacts = EventCodec.decode(facts.get(facts.size() - 1).value(), NodeFacts.class);
            assertEquals(last, lastFacts.node());
        }
    }
}
