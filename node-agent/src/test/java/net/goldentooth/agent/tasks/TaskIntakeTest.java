package net.goldentooth.agent.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.tasks.admission.Admission;
import net.goldentooth.agent.tasks.execution.TaskRunner;
import net.goldentooth.agent.tasks.ledger.TaskLedger;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.events.signing.TaskVerifier;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskIntakeTest {

    @TempDir
    Path dir;

    private final SigningKeys.KeyPair key = SigningKeys.generate();
    private final TaskSigner signer = new TaskSigner(key);
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<JobProgress> sent = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TaskIntake intake(TaskLedger ledger) {
        Admission admission = new Admission(new TaskVerifier(List.of(key.publicKey())), Set.of(key.keyId()),
                "bettley"::equals, ledger::contains, false, clock);
        return new TaskIntake(admission, ledger, new TaskRunner(1 << 20, false), (k, p) -> {
            keys.add(k);
            sent.add(p);
        }, new AgentMetrics(registry), clock, 2);
    }

    private Task task(String jobId, String taskId, String command) {
        return new Task(jobId, taskId, "bettley", new TaskSpec(command, null, false, 30_000, 4096),
                clock.instant(), clock.instant().plusSeconds(600));
    }

    @Test
    void aSignedTaskWithoutJobIdIsRejectedUnderTheRecordKey() throws Exception {
        try (TaskLedger ledger = TaskLedger.open(dir, clock); TaskIntake intake = intake(ledger)) {
            intake.accept("bettley", signer.sign(task(null, "task-1", "true")));
        }
        assertEquals(List.of("bettley"), keys);
        assertEquals(ProgressKind.REJECTED, sent.get(0).kind());
        assertTrue(sent.get(0).reason().startsWith("malformed"), sent.get(0).reason());
        assertEquals(1.0, registry.counter("goldentooth.agent.tasks.rejected", "reason", "malformed").count());
    }

    @Test
    void aTaskDeliveredThriceRunsOnceAndIsInTheLedgerBeforeItRuns() throws Exception {
        Path runs = dir.resolve("runs");
        var signed = signer.sign(task("job-1", "task-1", "echo run >> " + runs));
        try (TaskLedger ledger = TaskLedger.open(dir.resolve("state"), clock); TaskIntake intake = intake(ledger)) {
            intake.accept("bettley", signed);
            assertTrue(ledger.contains("task-1"), "recorded as soon as it is admitted");
            assertTrue(sent.isEmpty(), "nothing is reported or run before the batch's ledger sync");
            intake.accept("bettley", signed);
            intake.startAccepted();
            intake.accept("bettley", signed);
            intake.startAccepted();
        }
        // close() waited for the running task
        assertEquals(List.of("run"), Files.readAllLines(runs));
        assertEquals(2, sent.stream().filter(p -> p.kind() == ProgressKind.REJECTED
                && p.reason().startsWith("replayed")).count(), "in the same batch and in a later one");
        assertEquals(1, sent.stream().filter(p -> p.kind() == ProgressKind.ACCEPTED).count());
        assertEquals(1, sent.stream().filter(p -> p.kind() == ProgressKind.FINISHED).count());
        assertTrue(keys.stream().allMatch("job-1"::equals));
        assertEquals(1.0, registry.counter("goldentooth.agent.tasks.finished", "outcome", "succeeded").count());
    }

    @Test
    void afterACrashAQueuedTaskRunsOnceAndAStartedOneNever() throws Exception {
        Path runs = dir.resolve("runs");
        Path state = dir.resolve("state");
        var started = signer.sign(task("job-1", "started", "echo started >> " + runs));
        var queued = signer.sign(task("job-1", "queued", "echo queued >> " + runs));
        var expiring = signer.sign(new Task("job-1", "expiring", "bettley",
                new TaskSpec("echo expiring >> " + runs, null, false, 30_000, 4096), clock.instant(),
                clock.instant().plusSeconds(5)));
        // What a killed agent leaves behind: three received, one of them started.
        try (TaskLedger ledger = TaskLedger.open(state, clock)) {
            ledger.record("started", clock.instant().plusSeconds(600), new TaskLedger.Pending("bettley", started));
            ledger.record("queued", clock.instant().plusSeconds(600), new TaskLedger.Pending("bettley", queued));
            ledger.record("expiring", clock.instant().plusSeconds(5), new TaskLedger.Pending("bettley", expiring));
            ledger.sync();
            ledger.markStarted("started");
        }
        clock.advance(java.time.Duration.ofSeconds(10));
        try (TaskLedger ledger = TaskLedger.open(state, clock); TaskIntake intake = intake(ledger)) {
            Admission resumption = new Admission(new TaskVerifier(List.of(key.publicKey())), Set.of(key.keyId()),
                    "bettley"::equals, ledger::started, false, clock);
            assertEquals(1, intake.resume(resumption));
            intake.accept("bettley", queued);
            intake.startAccepted();
        }
        assertEquals(List.of("queued"), Files.readAllLines(runs), "only the queued task, once");
        assertTrue(sent.stream().anyMatch(p -> "expiring".equals(p.taskId()) && p.kind() == ProgressKind.REJECTED
                && p.reason().startsWith("expired")), "the expired one is reported, not run");
        try (TaskLedger ledger = TaskLedger.open(state, clock)) {
            assertEquals(List.of(), ledger.pending(), "nothing is owed any more");
        }
    }
}
