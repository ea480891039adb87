package net.goldentooth.agent.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.goldentooth.agent.AgentLifecycle;
import net.goldentooth.agent.AgentTestResource;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent against the real broker: the provisioner's side is played by this test, which
 * signs tasks with the key the agent trusts and publishes them on {@code job.tasks}.
 */
@QuarkusTest
@QuarkusTestResource(value = AgentTestResource.class, restrictToAnnotatedClass = true)
class NodeAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    AgentLifecycle agent;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "goldentooth.agent.trusted-key-files")
    String trustedKeyFile;

    @TempDir
    Path dir;

    private TopicProbe probe;
    private EventPublisher provisioner;
    private TaskSigner signer;
    private String node;

    @BeforeEach
    void setUp() throws Exception {
        assertTrue(agent.awaitTaskConsumerAssigned(WAIT), "the task consumer was never assigned");
        node = agent.nodes().primary();
        probe = new TopicProbe(bootstrap);
        provisioner = new EventPublisher(bootstrap, "//provisioner", Clock.systemUTC());
        Path publicKey = Path.of(trustedKeyFile);
        signer = new TaskSigner(SigningKeys.loadOrCreate(publicKey.resolveSibling("task-signing.key"), publicKey));
    }

    @AfterEach
    void tearDown() {
        probe.close();
        provisioner.close();
    }

    @Test
    void aSignedTaskRunsAndItsFinishedProgressCarriesTheExitCode() throws Exception {
        Task task = task("echo hello from $(hostname) >&1; echo warn >&2; exit 7");
        provisioner.publish(Topics.JOB_TASKS, node, signer.sign(task)).get();

        List<JobProgress> progress = progressOf(task.jobId(), ProgressKind.FINISHED);
        JobProgress finished = progress.get(progress.size() - 1);
        assertEquals(7, finished.exitCode());
        assertFalse(finished.timedOut());
        assertEquals(List.of(ProgressKind.ACCEPTED, ProgressKind.STARTED),
                progress.stream().map(JobProgress::kind).limit(2).toList());
        assertTrue(progress.stream().anyMatch(p -> p.kind() == ProgressKind.OUTPUT && "stderr".equals(p.stream())
                && p.data().contains("warn")));
        for (int i = 0; i < progress.size(); i++) {
            assertEquals(i, progress.get(i).seq());
        }
    }

    @Test
    void aForgedTaskIsNeverExecutedAndIsReportedRejected() throws Exception {
        Path marker = dir.resolve("forged-ran");
        Task forgedTask = task("touch " + marker);
        SignedTask byAnotherKey = new TaskSigner(SigningKeys.generate()).sign(forgedTask);
        // The attacker claims the provisioner's key id; only the signature can tell.
        SignedTask forged = new SignedTask(byAnotherKey.payload(), signer.keyId(), byAnotherKey.signature());
        provisioner.publish(Topics.JOB_TASKS, node, forged).get();

        List<JobProgress> progress = progressOf(forgedTask.jobId(), ProgressKind.REJECTED);
        assertEquals(1, progress.size(), progress.toString());
        JobProgress rejected = progress.get(0);
        assertTrue(rejected.reason().startsWith("bad-signature"), rejected.reason());
        assertEquals(forgedTask.taskId(), rejected.taskId());

        // A valid task sent after the forged one has finished: the forged one had its turn and did nothing.
        Task after = task("echo after");
        provisioner.publish(Topics.JOB_TASKS, node, signer.sign(after)).get();
        progressOf(after.jobId(), ProgressKind.FINISHED);
        assertFalse(Files.exists(marker), "the forged command ran");
        assertTrue(progress.stream().noneMatch(p -> p.kind() == ProgressKind.ACCEPTED));
    }

    @Test
    void aReplayedTaskIsRejectedAndNotRunTwice() throws Exception {
        Path counter = dir.resolve("runs");
        Task task = task("echo run >> " + counter);
        SignedTask signed = signer.sign(task);
        provisioner.publish(Topics.JOB_TASKS, node, signed).get();
        progressOf(task.jobId(), ProgressKind.FINISHED);
        provisioner.publish(Topics.JOB_TASKS, node, signed).get();
        List<JobProgress> progress = progressOf(task.jobId(), ProgressKind.REJECTED);
        JobProgress rejected = progress.stream().filter(p -> p.kind() == ProgressKind.REJECTED).findFirst()
                .orElseThrow();
        assertTrue(rejected.reason().startsWith("replayed"), rejected.reason());
        // seq 0 again: a provisioner deduplicating by (taskId, seq) never lets a replay undo the real result.
        assertEquals(0, rejected.seq());
        assertEquals(List.of("run"), Files.readAllLines(counter));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndAValidTaskAfterItStillRuns() throws Exception {
        probe.sendRaw(Topics.JOB_TASKS, node, "{\"payload\": \"{\\\"jobId\\\": \\\"trunc");
        SignedTask wrongType = signer.sign(task("echo never"));
        provisioner.publishRaw(Topics.JOB_TASKS, node, EventCodec.encode(wrongType),
                Map.of(CloudEventHeaders.TYPE, "net.goldentooth.job.progress.v1".getBytes(StandardCharsets.UTF_8)))
                .get();
        Task valid = task("echo still alive");
        provisioner.publish(Topics.JOB_TASKS, node, signer.sign(valid)).get();

        List<ConsumerRecord<String, byte[]>> dead = probe.awaitRecord(Topics.deadLetterOf(Topics.JOB_TASKS),
                r -> node.equals(r.key()) && String.valueOf(TopicProbe.header(r, CloudEventHeaders.DLQ_ERROR))
                        .contains("unknown event type"), WAIT);
        List<String> errors = dead.stream().filter(r -> node.equals(r.key()))
                .map(r -> TopicProbe.header(r, CloudEventHeaders.DLQ_ERROR)).toList();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("not a valid SignedTask"), errors.get(0));

        List<JobProgress> progress = progressOf(valid.jobId(), ProgressKind.FINISHED);
        assertEquals(0, progress.get(progress.size() - 1).exitCode());
        assertTrue(agent.taskConsumerRunning());
    }

    @Test
    void firstFactsArePublishedAndHealthAndMetricsAnswer() {
        List<ConsumerRecord<String, byte[]>> facts = probe.awaitRecord(Topics.NODE_FACTS,
                r -> node.equals(r.key()), WAIT);
        ConsumerRecord<String, byte[]> record = facts.get(facts.size() - 1);
        NodeFacts published = EventCodec.decode(record.value(), NodeFacts.class);
        assertEquals(node, published.node());
        assertEquals("//node-agent/" + node, TopicProbe.header(record, CloudEventHeaders.SOURCE));
        assertNotNull(published.memory().value(), "memory is read from /proc/meminfo");
        assertFalse(published.load().stale());

        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("job.tasks consumer")).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("goldentooth_agent_facts_published_total"))
                // node_exporter's names for the facts (NodeExporterMetricsTest checks every one).
                .body(containsString("\nnode_load1 "))
                .body(containsString("\nnode_memory_MemTotal_bytes "))
                .body(containsString("\nnode_time_seconds "));
    }

    private Task task(String command) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return new Task("job-" + id, "task-" + id, node, new TaskSpec(command, null, false, 30_000, 65536),
                now.minusSeconds(1), now.plusSeconds(600));
    }

    /** Every progress record of the job, in seq order, once one of {@code kind} has arrived. */
    private List<JobProgress> progressOf(String jobId, ProgressKind kind) {
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.JOB_PROGRESS,
                r -> jobId.equals(r.key()) && EventCodec.decode(r.value(), JobProgress.class).kind() == kind, WAIT);
        return seen.stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EventCodec.decode(r.value(), JobProgress.class))
                .sorted(java.util.Comparator.comparingLong(JobProgress::seq)).toList();
    }
}
