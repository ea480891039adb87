package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.Task;
import net.goldentooth.testkit.KafkaCluster;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two provisioner processes in group {@code provisioner} on a replicated bus (three KRaft brokers,
 * {@link KafkaCluster}: every topic with three replicas and {@code min.insync.replicas} 2, as in
 * production), with two real node agents: the job's owner is killed with SIGKILL mid-job and the other instance finishes it.
 * Both instances use the same task-signing key (the key is the service's, not an instance's: the
 * agents trust one key for the provisioner, however many instances it runs).
 *
 * <p>The job runs one target at a time ({@code concurrency 1}), so that when the owner dies one
 * target has run and the other was never sent: the survivor must fold the first target's result
 * from {@code job.progress} (it arrived while nobody owned the partition), and send the second
 * under the task id the job was created with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionerFailoverIT {

    private KafkaCluster brokers;
    private LocalCluster cluster;

    @BeforeAll
    void start() {
        brokers = KafkaCluster.start(3, Http::freePortInRange);
        cluster = LocalCluster.builder(brokers.bootstrapServers(), List.of("alpha", "beta")).provisioners(2).start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void theOwnerKilledMidJobIsReplacedAndTheJobCompletesWithNothingLostDoubledOrResent() {
        ServiceProcess first = cluster.provisioners().get(0);
        ServiceProcess second = cluster.provisioners().get(1);
        // The instance that takes the POST creates the job on a partition it owns: `first` owns it.
        JobStatus created = post(first, new JobRequest(null, JobKind.COMMAND, "alpha,beta",
                "echo before; sleep 3; echo after", null, 60, "1", false, "e2e"));
        String id = created.jobId();
        Map<String, String> taskIds = new LinkedHashMap<>();
        created.targets().forEach((node, target) -> taskIds.put(node, target.taskId()));

        JobStatus running = await(first, id, s -> state(s, "alpha") == TargetState.RUNNING, Duration.ofSeconds(30));
        assertEquals(TargetState.PENDING, state(running, "beta"), "concurrency 1: beta waits for alpha");
        // The other instance answers for a job it does not own, from job.status.
        await(second, id, s -> s.revision() >= 1, Duration.ofSeconds(10));
        long before = get(second, id).revision();

        first.kill();
        long killedAt = System.nanoTime();
        // The survivor's first own status of the job: after the dead member's session expired and the
        // group gave its partitions to the survivor, which rebuilt the job and folded on.
        await(second, id, s -> s.revision() > before && state(s, "alpha").terminal(), Duration.ofSeconds(40));
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        JobStatus done = await(second, id, s -> s.state().terminal(), Duration.ofSeconds(40));
        System.out.printf("provisioner failover: kill -9 to the job's next status on the other instance %d ms%n",
                failoverMs);

        assertEquals(JobState.SUCCEEDED, done.state(), "every target: " + done.targets());
        for (String node : List.of("alpha", "beta")) {
            assertEquals(0, done.targets().get(node).exitCode(), node);
            assertEquals("before\nafter\n", done.targets().get(node).stdout(),
                    node + ": output neither lost nor doubled");
            assertEquals(taskIds.get(node), done.targets().get(node).taskId(), node);
        }
        // On job.tasks: one task id per node, the one the job was created with (beta's sent by the
        // survivor), and nothing else of this job.
        Map<String, Set<String>> sent = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(brokers.bootstrapServers(),
                Topics.JOB_TASKS)) {
            Task task = EventCodec.taskOf(EventCodec.decode(record.value(), SignedTask.class));
            if (task.jobId().equals(id)) {
                sent.computeIfAbsent(task.node(), n -> new TreeSet<>()).add(task.taskId());
            }
        }
        assertEquals(Map.of("alpha", Set.of(taskIds.get("alpha")), "beta", Set.of(taskIds.get("beta"))), sent,
                "no task re-sent under a new id");
    }

    /** POST /jobs; a 503 (the instance owns no partition during a rebalance) is retried briefly. */
    private static JobStatus post(ServiceProcess provisioner, JobRequest request) {
        List<String> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(provisioner.baseUrl() + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(request))).build());
            if (response.statusCode() == 201) {
                return EventCodec.decode(response.body(), JobStatus.class);
            }
            answers.add(response.statusCode() + " " + response.body());
            if (response.statusCode() != 503) {
                break;
            }
            ServiceProcess.sleep(200);
        }
        throw new AssertionError("POST /jobs answered " + answers);
    }

    private static JobStatus get(ServiceProcess provisioner, String id) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
                URI.create(provisioner.baseUrl() + "/jobs/" + id)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /jobs/" + id + " answered " + response.statusCode() + ": " + response.body());
        }
        return EventCodec.decode(response.body(), JobStatus.class);
    }

    private static JobStatus await(ServiceProcess provisioner, String id, Predicate<JobStatus> condition,
                                   Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(provisioner, id);
                if (condition.test(last)) {
                    return last;
                }
            } catch (AssertionError notYet) {
                // not known on this instance yet
            }
            ServiceProcess.sleep(100);
        }
        throw new AssertionError("job " + id + " on " + provisioner.baseUrl() + " did not get there within " + timeout
                + "; last: " + (last == null ? "none" : EventCodec.encodeToString(last)) + "\nlog:\n"
                + provisioner.tail());
    }

    private static TargetState state(JobStatus status, String node) {
        return status.targets().get(node).state();
    }
}
