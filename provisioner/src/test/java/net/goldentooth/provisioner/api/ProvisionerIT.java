package net.goldentooth.provisioner.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskVerifier;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import net.goldentooth.testkit.RestErrorShape;

/**
 * The provisioner against the real broker, with a fake agent in the test that verifies every task's
 * signature with the provisioner's public key file before answering for {@code alpha} and
 * {@code beta}; {@code silent} never answers.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(ProvisionerTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionerIT {

    private static final Set<String> ANSWERING = Set.of("alpha", "beta");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();
    private EventPublisher agentPublisher;
    private ConsumerLoop<SignedTask> fakeAgent;
    private TopicProbe probe;
    private final Map<String, Task> verifiedTasks = new ConcurrentHashMap<>();
    private final CountDownLatch streamOpen = new CountDownLatch(1);

    @BeforeAll
    void startFakeAgent() throws Exception {
        TaskVerifier verifier = new TaskVerifier(List.of(SigningKeys.readPublicKey(ProvisionerTestResource.publicKey())));
        agentPublisher = new EventPublisher(bootstrap, "//fake-agent", Clock.systemUTC());
        probe = new TopicProbe(bootstrap);
        fakeAgent = ConsumerLoop.builder(bootstrap, Topics.JOB_TASKS, SignedTask.class)
                .assign(IntStream.range(0, Topics.NODE_ROUTED_PARTITIONS).boxed().toList())
                .start(ConsumerLoop.Start.LATEST)
                .deadLetters(agentPublisher, (topic, reason) -> { })
                .handler(d -> {
                    Task task = verifier.verify(d.event());
                    assertEquals(d.key(), task.node(), "tasks are keyed by node");
                    verifiedTasks.put(task.taskId(), task);
                    if (ANSWERING.contains(task.node())) {
                        Thread agent = new Thread(() -> answer(task), "fake-agent-" + task.node());
                        agent.setDaemon(true);
                        agent.start();
                    }
                })
                .start();
        assertTrue(fakeAgent.awaitAssignment(Duration.ofSeconds(30)));
    }

    @AfterAll
    void stopFakeAgent() {
        fakeAgent.close();
        agentPublisher.close();
        probe.close();
    }

    /** Accept, start, print a line (for "slow" commands once the stream is open), finish with exit 0. */
    private void answer(Task task) {
        try {
            agentPublisher.publish(Topics.JOB_PROGRESS, task.jobId(), at(task, ProgressKind.ACCEPTED, 0));
            agentPublisher.publish(Topics.JOB_PROGRESS, task.jobId(), at(task, ProgressKind.STARTED, 1));
            if (task.spec().command().startsWith("slow")) {
                // Output only once the test's stream is open, so it must arrive as a live event.
                assertTrue(streamOpen.await(30, TimeUnit.SECONDS), "the test never opened its stream");
            }
            agentPublisher.publish(Topics.JOB_PROGRESS, task.jobId(), at(task, ProgressKind.OUTPUT, 2)
                    .withOutput("stdout", task.node() + ": " + task.spec().command() + "\n"));
            agentPublisher.publish(Topics.JOB_PROGRESS, task.jobId(), at(task, ProgressKind.FINISHED, 3)
                    .withResult(0, 5, false, false));
            agentPublisher.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JobProgress at(Task task, ProgressKind kind, long seq) {
        return JobProgress.of(task, kind, seq, Instant.now());
    }

    private static String body(String pattern, String command) {
        return EventCodec.encodeToString(new JobRequest(null, JobKind.COMMAND, pattern, command, null, 30, null, false,
                "it"));
    }

    private static JobStatus post(String pattern, String command) {
        String json = given().contentType(ContentType.JSON).body(body(pattern, command))
                .when().post("/jobs").then().statusCode(201).extract().asString();
        return EventCodec.decode(json, JobStatus.class);
    }

    private static JobStatus get(String jobId) {
        return EventCodec.decode(given().get("/jobs/" + jobId).then().statusCode(200).extract().asString(),
                JobStatus.class);
    }

    /**
     * Polls until the status matches. Tests wait for the state they expect rather than the first
     * terminal one: on a loaded machine a target may pass through a deadline's verdict before its
     * late result replaces it.
     */
    private static JobStatus await(String jobId, Predicate<JobStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JobStatus last = get(jobId);
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = get(jobId);
        }
        assertTrue(condition.test(last), "job did not reach the expected state: " + EventCodec.encodeToString(last));
        return last;
    }

    @Test
    void aJobOnTwoAgentsSucceedsWithTheirOutputAndTheTerminalStatusIsOnKafka() throws Exception {
        JobStatus created = post("workers", "uptime");
        assertEquals(Set.of("alpha", "beta"), created.targets().keySet());
        JobStatus done = await(created.jobId(), s -> s.state() == JobState.SUCCEEDED);
        assertEquals("alpha: uptime\n", done.targets().get("alpha").stdout());
        assertEquals("beta: uptime\n", done.targets().get("beta").stdout());
        assertEquals(3L, done.targets().get("beta").lastSeq());
        created.targets().values().forEach(t -> assertTrue(verifiedTasks.containsKey(t.taskId()), t.node()));

        List<ConsumerRecord<String, byte[]>> records = probe.awaitRecord(Topics.JOB_STATUS,
                r -> created.jobId().equals(r.key())
                        && EventCodec.decode(r.value(), JobStatus.class).state() == JobState.SUCCEEDED, WAIT);
        JobStatus onKafka = EventCodec.decode(records.get(records.size() - 1).value(), JobStatus.class);
        assertEquals("alpha: uptime\n", onKafka.targets().get("alpha").stdout());
        assertEquals("//provisioner", TopicProbe.header(records.get(records.size() - 1), CloudEventHeaders.SOURCE));
    }

    @Test
    void aSilentTargetEndsUnreachableWhileTheOtherSucceeds() throws Exception {
        JobStatus done = await(post("alpha,silent", "hostname").jobId(), s -> s.state().terminal()
                && s.targets().get("alpha").state() == TargetState.SUCCEEDED);
        assertEquals(JobState.FAILED, done.state());
        assertEquals(TargetState.SUCCEEDED, done.targets().get("alpha").state());
        assertEquals(TargetState.UNREACHABLE, done.targets().get("silent").state());
        assertEquals("no agent accepted the task within 3s", done.targets().get("silent").reason());
    }

    @Test
    void poisonIsDeadLetteredAndGoodProgressAfterItIsStillFolded() throws Exception {
        JobStatus created = post("silent", "true");
        String taskId = created.targets().get("silent").taskId();
        probe.sendRaw(Topics.JOB_PROGRESS, created.jobId(), "{\"jobId\": \"trunc");
        Task task = new Task(created.jobId(), taskId, "silent", null, Instant.now(), Instant.now());
        probe.send(Topics.JOB_PROGRESS, created.jobId(), at(task, ProgressKind.ACCEPTED, 0));
        probe.send(Topics.JOB_PROGRESS, created.jobId(), at(task, ProgressKind.FINISHED, 1).withResult(0, 1, false,
                false));

        List<ConsumerRecord<String, byte[]>> dead = probe.awaitRecord(Topics.deadLetterOf(Topics.JOB_PROGRESS),
                r -> created.jobId().equals(r.key()), WAIT);
        assertTrue(TopicProbe.header(dead.get(dead.size() - 1), CloudEventHeaders.DLQ_ERROR)
                .contains("not a valid JobProgress"));
        // Folded even if the accept deadline passed first: a result replaces the deadline's verdict.
        await(created.jobId(), s -> s.targets().get("silent").state() == TargetState.SUCCEEDED);

        String key = "poison-" + UUID.randomUUID();
        probe.sendRaw(Topics.JOB_REQUESTED, key, "{not json");
        List<ConsumerRecord<String, byte[]>> deadRequests = probe.awaitRecord(
                Topics.deadLetterOf(Topics.JOB_REQUESTED), r -> key.equals(r.key()), WAIT);
        assertTrue(TopicProbe.header(deadRequests.get(deadRequests.size() - 1), CloudEventHeaders.DLQ_ERROR)
                .contains("not a valid JobRequest"));
        String refused = "refused-" + UUID.randomUUID();
        probe.send(Topics.JOB_REQUESTED, refused, JobRequest.command("nosuchgroup", "true"));
        List<ConsumerRecord<String, byte[]>> deadRefused = probe.awaitRecord(
                Topics.deadLetterOf(Topics.JOB_REQUESTED), r -> refused.equals(r.key()), WAIT);
        assertTrue(TopicProbe.header(deadRefused.get(deadRefused.size() - 1), CloudEventHeaders.DLQ_ERROR)
                .contains("unknown group or host 'nosuchgroup'; groups: all, lab, workers"));
    }

    @Test
    void aRequestOnJobRequestedStartsAJobLikePost() throws Exception {
        String key = "from-topic-" + UUID.randomUUID();
        String fromTopic = "echo " + UUID.randomUUID();
        probe.send(Topics.JOB_REQUESTED, key, new JobRequest(key, JobKind.COMMAND, "alpha", fromTopic, null, 30, null,
                false, "it"));
        // Found by its command, not by POSTing its key: a POST that won the race against the consumer
        // would itself take the key with a different command, and the topic's job would never appear.
        String jobId = awaitJobWithCommand(fromTopic);
        assertTrue(jobId != null, "the job from job.requested was started");
        assertEquals(key, get(jobId).request().idempotencyKey());
        // The job from job.requested answers to its idempotency key.
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body("lab", "other"))
                .post("/jobs").then().statusCode(200).body("jobId", equalTo(jobId));
        await(jobId, s -> s.state() == JobState.SUCCEEDED);

        // Without a key, the record's position is the key: a redelivery would find the same job.
        String command = "echo " + UUID.randomUUID();
        probe.send(Topics.JOB_REQUESTED, "keyless", JobRequest.command("beta", command));
        String keyless = awaitJobWithCommand(command);
        assertTrue(keyless != null, "the keyless request started a job");
        assertTrue(get(keyless).request().idempotencyKey().startsWith("job.requested/"),
                get(keyless).request().idempotencyKey());
    }

    /** The id of the newest listed job running {@code command}, or null if none appears in time. */
    private static String awaitJobWithCommand(String command) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = given().get("/jobs?limit=500").then().extract()
                    .path("jobs.findAll { it.command == '" + command + "' }.jobId");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Thread.sleep(100);
        }
        return null;
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstJob() {
        String key = UUID.randomUUID().toString();
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body("alpha", "a"))
                .post("/jobs").then().statusCode(201).extract().path("jobId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body("beta", "b"))
                .post("/jobs").then().statusCode(200).body("jobId", equalTo(first));
    }

    @Test
    void badInputIsA4xxApiErrorWithAPreciseMessage() {
        given().contentType(ContentType.JSON).body(body("", "uptime")).post("/jobs").then()
                .statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", equalTo("pattern is empty; use 'all' or a group or host name"));
        given().contentType(ContentType.JSON).body(body("lab,foo", "uptime")).post("/jobs").then()
                .statusCode(400)
                .body("error", equalTo("unknown group or host 'foo'; groups: all, lab, workers"))
                .body("hints", hasItem("workers"));
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"command\",\"pattern\":\"all\",\"command\":\"x\",\"timeoutSeconds\":90000}")
                .post("/jobs").then().statusCode(400)
                .body("error", equalTo("timeoutSeconds 90000 is out of range 1..86400"));
        given().contentType(ContentType.JSON).body("{\"kind\":\"command\",\"pattern\":")
                .post("/jobs").then().statusCode(400)
                .body("error", startsWith("request body is not a valid JobRequest"));
        given().contentType(ContentType.JSON).body("{\"kind\":\"bogus\",\"pattern\":\"all\",\"command\":\"x\"}")
                .post("/jobs").then().statusCode(400)
                .body("error", containsString("unknown JobKind 'bogus', expected one of: command, command_root"));
        given().contentType(ContentType.JSON).body("{\"kind\":\"command\",\"pattern\":\"all\",\"command\":\"x\","
                        + "\"timeoutSeconds\":\"soon\"}")
                .post("/jobs").then().statusCode(400)
                .body("error", containsString("timeoutSeconds"));
        given().get("/jobs/no-such-job").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("unknown job id 'no-such-job'"));
        given().get("/jobs/no-such-job/events").then().statusCode(404)
                .body("error", equalTo("unknown job id 'no-such-job'"));
        given().get("/jobs?state=bogus").then().statusCode(400)
                .body("error", equalTo("unknown state 'bogus'; states: running, succeeded, failed"));
        given().get("/jobs?limit=501").then().statusCode(400)
                .body("error", equalTo("limit 501 is out of range 1..500"));
    }

    @Test
    void theEventStreamCarriesLiveOutputThenTheTerminalStatusAndCloses() throws Exception {
        JobStatus created = post("alpha", "slow echo");
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/jobs/"
                        + created.jobId() + "/events")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String[]> events = new ArrayList<>();
        String name = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                events.add(new String[] {name, line.substring(5).strip()});
                streamOpen.countDown();
            }
        }
        // The loop ends only because the server closed the stream.
        assertEquals("status", events.get(0)[0]);
        String[] last = events.get(events.size() - 1);
        assertEquals("status", last[0]);
        assertEquals(JobState.SUCCEEDED, EventCodec.decode(last[1], JobStatus.class).state());
        List<JobProgress> progress = events.stream().filter(e -> "progress".equals(e[0]))
                .map(e -> EventCodec.decode(e[1], JobProgress.class)).toList();
        assertEquals(1, progress.size(), "one output chunk: " + progress);
        assertEquals("alpha: slow echo\n", progress.get(0).data());
        assertEquals("alpha", progress.get(0).node());
    }

    @Test
    void aFinishedJobStreamsOneStatusAndCloses() throws Exception {
        JobStatus done = await(post("beta", "true").jobId(), s -> s.state() == JobState.SUCCEEDED);
        String stream = given().get("/jobs/" + done.jobId() + "/events").then().statusCode(200).extract().asString();
        assertEquals(1, stream.lines().filter(l -> l.startsWith("event:")).count(), stream);
        assertTrue(stream.contains("\"state\":\"succeeded\""), stream);
    }

    @Test
    void listingInventoryNodesMetricsAndOpenApi() throws Exception {
        post("alpha", "true");
        given().get("/jobs?limit=1").then().statusCode(200).body("limit", equalTo(1)).body("jobs.size()", equalTo(1));
        given().get("/inventory").then().statusCode(200)
                .body("groups.workers", equalTo(List.of("alpha", "beta")))
                .body("hosts.alpha.address", equalTo("127.0.0.1"));

        probe.send(Topics.NODE_FACTS, "alpha", facts("alpha"));
        probe.send(Topics.NODE_FACTS, "stranger", facts("stranger"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> names = List.of();
        while (names.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            names = given().get("/nodes").then().statusCode(200).extract().path("node");
        }
        assertEquals(List.of("alpha", "beta", "silent", "stranger"), names);
        given().get("/nodes").then()
                .body("find { it.node == 'alpha' }.live", equalTo(true))
                .body("find { it.node == 'silent' }.live", equalTo(false))
                .body("find { it.node == 'stranger' }.inInventory", equalTo(false));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("goldentooth_provisioner_jobs_created_total"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/jobs/{id}/events"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static NodeFacts facts(String node) {
        return new NodeFacts(node, Instant.now(), 1, "it", null, null, null, null, null,
                null, null, null, null, null);
    }

    /**
     * The log format prints the MDC: the line that starts a job carries its jobId. In %test the log
     * also goes to target/provisioner-test.log in the console's format (application.properties).
     */
    @Test
    void theLinesOfAJobCarryItsJobId() throws Exception {
        String jobId = await(post("alpha", "echo mdc").jobId(), s -> s.state() == JobState.SUCCEEDED).jobId();
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("target/provisioner-test.log")).stream()
                .filter(line -> line.contains("job " + jobId + ":")).toList();
        assertTrue(!lines.isEmpty(), "no line logs job " + jobId);
        for (String line : lines) {
            assertTrue(line.contains("jobId=" + jobId), line);
        }
    }

    /** The same malformed body and unknown path as every REST service (rest-edge's shared mappers). */
    @Test
    void answersMalformedJsonAndUnknownPathsLikeEveryService() {
        RestErrorShape.assertMalformedJsonRefused(base(), "/jobs", "JobRequest");
        RestErrorShape.assertUnknownPathRefused(base());
    }

    private static URI base() {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/");
    }
}
