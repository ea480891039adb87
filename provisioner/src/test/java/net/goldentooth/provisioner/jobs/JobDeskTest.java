package net.goldentooth.provisioner.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.provisioner.inventory.PatternException;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Whole jobs driven through the pure job path, without Quarkus or a broker: requests in, tasks out
 * through fake sinks, agents' progress folded, statuses out, deadlines by a stepped clock. The
 * settings are {@link JobValidationTest#SETTINGS}: accept deadline 5 s, dispatch grace 10 s,
 * status-coalesce 100 ms.
 */
class JobDeskTest {

    private static final Inventory INVENTORY = InventoryParser.parse(
            "all:\n  children:\n    pis:\n      hosts:\n        a:\n        b:\n        c:\n", "t.yaml");

    private final MutableClock clock = MutableClock.at("2026-12-07T06:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final Agents agents = new Agents();
    private final Ssh ssh = new Ssh();
    private final Statuses statuses = new Statuses();
    private final List<JobProgress> localProgress = new ArrayList<>();
    private final Watcher watcher = new Watcher();
    private final Set<String> liveAgents = new java.util.HashSet<>(Set.of("a", "b", "c"));
    private final FakePlaybooks playbooks = new FakePlaybooks();
    private JobDesk desk = newDesk();

    private JobDesk newDesk() {
        JobEngine engine = new JobEngine(JobValidationTest.SETTINGS, clock, () -> "id-" + ids.incrementAndGet(),
                new EngineListener() { });
        return new JobDesk(engine, INVENTORY, liveAgents::contains,
                new JobDesk.Outlets(agents, ssh, statuses, localProgress::add, watcher), List.of(playbooks));
    }

    // --- fakes: each records what the desk sent out ---

    private static final class Agents implements TaskSink {
        final List<Task> sent = new ArrayList<>();

        @Override
        public List<CompletableFuture<?>> send(List<Task> tasks) {
            sent.addAll(tasks);
            return tasks.stream().<CompletableFuture<?>>map(t -> CompletableFuture.completedFuture(null)).toList();
        }
    }

    private static final class Ssh implements SshSink {
        final List<Task> commands = new ArrayList<>();
        final List<Task> bootstraps = new ArrayList<>();

        @Override
        public void command(Task task) {
            commands.add(task);
        }

        @Override
        public void bootstrap(Task task) {
            bootstraps.add(task);
        }
    }

    /** The broker's {@code job.status}; {@code failNext} publications are not acknowledged. */
    private static final class Statuses implements StatusSink {
        final List<JobStatus> acknowledged = new ArrayList<>();
        int failNext;

        @Override
        public List<CompletableFuture<?>> publish(List<JobStatus> due) {
            List<CompletableFuture<?>> futures = new ArrayList<>();
            for (JobStatus status : due) {
                if (failNext > 0) {
                    failNext--;
                    futures.add(CompletableFuture.failedFuture(new IllegalStateException("broker down")));
                } else {
                    acknowledged.add(status);
                    futures.add(CompletableFuture.completedFuture(null));
                }
            }
            return futures;
        }

        JobStatus last(String jobId) {
            for (int i = acknowledged.size() - 1; i >= 0; i--) {
                if (acknowledged.get(i).jobId().equals(jobId)) {
                    return acknowledged.get(i);
                }
            }
            throw new AssertionError("no status of " + jobId + " was published");
        }

        long of(String jobId) {
            return acknowledged.stream().filter(s -> s.jobId().equals(jobId)).count();
        }
    }

    private static final class Watcher implements JobWatcher {
        final List<JobProgress> output = new ArrayList<>();
        final List<String> changed = new ArrayList<>();

        @Override
        public void progress(List<JobProgress> folded) {
            output.addAll(folded);
        }

        @Override
        public void changed(String jobId) {
            changed.add(jobId);
        }
    }

    /** A local runner for playbooks that refuses the name {@code setup_missing}. */
    private static final class FakePlaybooks implements LocalRunner {
        final List<Task> started = new ArrayList<>();
        final List<JobStatus> resumed = new ArrayList<>();
        Consumer<JobProgress> progress;

        @Override
        public JobKind kind() {
            return JobKind.PLAYBOOK;
        }

        @Override
        public void validate(JobRequest request) {
            if (request.command().equals("setup_missing")) {
                throw new JobRequestException("unknown playbook 'setup_missing'");
            }
        }

        @Override
        public void start(Task task, JobRequest request, Consumer<JobProgress> progress) {
            started.add(task);
            this.progress = progress;
        }

        @Override
        public void resume(JobStatus status, Consumer<JobProgress> progress) {
            resumed.add(status);
        }

        @Override
        public void release(String jobId) {
            throw new AssertionError("one desk here: nothing is given away (" + jobId + ")");
        }
    }

    // --- helpers ---

    private static JobRequest command(String key, String pattern, String concurrency, boolean sshFallback) {
        return new JobRequest(key, JobKind.COMMAND, pattern, "uptime", null, 30, concurrency, sshFallback, "test");
    }

    private JobProgress report(Task task, ProgressKind kind, long seq) {
        return JobProgress.of(task, kind, seq, clock.instant());
    }

    /** What an agent sends for a task that prints {@code out} and exits with {@code exit}, one batch. */
    private void agentRuns(Task task, String out, int exit) {
        desk.fold(report(task, ProgressKind.ACCEPTED, 0));
        desk.fold(report(task, ProgressKind.STARTED, 1));
        desk.fold(report(task, ProgressKind.OUTPUT, 2).withOutput("stdout", out));
        desk.fold(report(task, ProgressKind.FINISHED, 3).withResult(exit, 7, false, false));
        desk.afterBatch();
    }

    private static TargetStatus target(JobStatus status, String node) {
        return status.targets().get(node);
    }

    // --- tests ---

    @Test
    void aCommandRunsFromRequestToTerminalStatusThroughTheSinks() {
        JobEngine.Submission submission = desk.submit(command(null, "a,b", null, false));
        String id = submission.status().jobId();

        assertTrue(submission.created());
        assertEquals(List.of("a", "b"), agents.sent.stream().map(Task::node).toList());
        JobStatus first = statuses.last(id);
        assertEquals(1L, first.revision());
        assertEquals(JobState.RUNNING, first.state());
        assertEquals(TargetState.DISPATCHED, target(first, "a").state());
        assertTrue(watcher.changed.contains(id));

        agentRuns(agents.sent.get(0), "up 3 days\n", 0);
        // Two targets: the running job's status is coalesced, so the batch is not yet committable.
        assertEquals(1, statuses.of(id));
        assertFalse(desk.everythingFoldedIsPublished());
        clock.advance(Duration.ofMillis(100));
        desk.publishCoalesced();
        assertTrue(desk.everythingFoldedIsPublished());
        assertEquals(TargetState.SUCCEEDED, target(statuses.last(id), "a").state());

        agentRuns(agents.sent.get(1), "up 1 day\n", 0);
        // The terminal status is urgent: published and acknowledged by the batch itself.
        JobStatus last = statuses.last(id);
        assertEquals(JobState.SUCCEEDED, last.state());
        assertEquals("up 1 day\n", target(last, "b").stdout());
        assertEquals(0, target(last, "b").exitCode());
        assertTrue(desk.everythingFoldedIsPublished());
        assertEquals(List.of("up 3 days\n", "up 1 day\n"), watcher.output.stream().map(JobProgress::data).toList());
        assertTrue(ssh.commands.isEmpty() && ssh.bootstraps.isEmpty() && playbooks.started.isEmpty());
    }

    @Test
    void aTenThousandTargetJobPublishesARunningStatusEveryTwoAndAHalfSecondsAndItsEndAtOnce() {
        StringBuilder yaml = new StringBuilder("all:\n  children:\n    sims:\n      hosts:\n");
        for (int i = 1; i <= 10_000; i++) {
            yaml.append(String.format("        sim-%05d:%n", i));
        }
        JobEngine engine = new JobEngine(JobValidationTest.SETTINGS, clock, () -> "id-" + ids.incrementAndGet(),
                new EngineListener() { });
        desk = new JobDesk(engine, InventoryParser.parse(yaml.toString(), "sims.yaml"), n -> true,
                new JobDesk.Outlets(agents, ssh, statuses, localProgress::add, watcher), List.of());
        String id = desk.submit(command(null, "all", null, false)).status().jobId();
        assertEquals(10_000, agents.sent.size());
        assertEquals(1, statuses.of(id), "the first status goes out with the tasks");

        // Results arrive over 6 s in 100 ms batches; the shell's timer ticks every status-coalesce.
        List<Task> tasks = List.copyOf(agents.sent);
        for (int tick = 0; tick < 60; tick++) {
            for (Task task : tasks.subList(tick * 166, (tick + 1) * 166)) {
                desk.fold(report(task, ProgressKind.ACCEPTED, 0));
                desk.fold(report(task, ProgressKind.FINISHED, 1).withResult(0, 1, false, false));
            }
            desk.afterBatch();
            clock.advance(Duration.ofMillis(100));
            desk.publishCoalesced();
        }
        // 100 ms would have published 60 running statuses of ~1.5 MB; 250 µs a target makes it 2.5 s.
        assertEquals(1 + 2, statuses.of(id));
        assertEquals(JobState.RUNNING, statuses.last(id).state());
        assertEquals(Duration.ofMillis(2_500), JobEngine.coalesceWindow(Duration.ofMillis(100), 10_000));
        assertFalse(desk.everythingFoldedIsPublished(), "folded since the last status: the batch is not committable");

        for (Task task : tasks.subList(9_960, 10_000)) {
            desk.fold(report(task, ProgressKind.ACCEPTED, 0));
            desk.fold(report(task, ProgressKind.FINISHED, 1).withResult(0, 1, false, false));
        }
        desk.afterBatch();
        JobStatus last = statuses.last(id);
        assertEquals(JobState.SUCCEEDED, last.state(), "the terminal status is not held back by the window");
        assertEquals(4, statuses.of(id));
        assertTrue(desk.everythingFoldedIsPublished());
    }

    @Test
    void theCoalesceWindowIsStatusCoalesceUpToFourHundredTargetsThenGrowsWithThem() {
        Duration base = Duration.ofMillis(100);
        assertEquals(base, JobEngine.coalesceWindow(base, 2));
        assertEquals(base, JobEngine.coalesceWindow(base, 400));
        assertEquals(Duration.ofMillis(250), JobEngine.coalesceWindow(base, 1_000));
        assertEquals(Duration.ofSeconds(25), JobEngine.coalesceWindow(base, 100_000));
        assertEquals(Duration.ofSeconds(5), JobEngine.coalesceWindow(Duration.ofSeconds(5), 10_000),
                "a longer configured status-coalesce still rules");
    }

    @Test
    void theCommitGateStaysClosedUntilTheBrokerAcknowledgesTheStatus() {
        String id = desk.submit(command(null, "a", null, false)).status().jobId();
        Task task = agents.sent.get(0);

        statuses.failNext = 1;
        desk.fold(report(task, ProgressKind.ACCEPTED, 0));
        desk.fold(report(task, ProgressKind.FINISHED, 1).withResult(0, 3, false, false));
        JobDesk.StatusNotPublished failure = assertThrows(JobDesk.StatusNotPublished.class, desk::afterBatch);
        assertTrue(failure.retryable());
        assertEquals("broker down", failure.getCause().getMessage());
        assertFalse(desk.everythingFoldedIsPublished(), "a status the broker did not take must keep the gate shut");
        assertEquals(JobState.RUNNING, statuses.last(id).state());

        // The consumer re-reads the batch from the last commit: duplicates change nothing, but the
        // status still owed goes out, and only then may the batch be committed.
        desk.fold(report(task, ProgressKind.ACCEPTED, 0));
        desk.fold(report(task, ProgressKind.FINISHED, 1).withResult(0, 3, false, false));
        desk.afterBatch();
        assertEquals(JobState.SUCCEEDED, statuses.last(id).state());
        assertTrue(desk.everythingFoldedIsPublished());
    }

    @Test
    void deadlinesEndSilentTargetsAndALateResultStillCounts() {
        String id = desk.submit(command(null, "a,b", null, false)).status().jobId();
        Task a = agents.sent.get(0);
        desk.fold(report(a, ProgressKind.ACCEPTED, 0));
        desk.fold(report(a, ProgressKind.STARTED, 1));
        desk.afterBatch();

        clock.advance(Duration.ofSeconds(5)); // b: no agent accepted within the accept deadline
        desk.tick();
        JobStatus afterAccept = statuses.last(id);
        assertEquals(TargetState.UNREACHABLE, target(afterAccept, "b").state());
        assertEquals("no agent accepted the task within 5s", target(afterAccept, "b").reason());
        assertEquals(TargetState.RUNNING, target(afterAccept, "a").state());

        clock.advance(Duration.ofSeconds(35)); // a: past its 30 s timeout plus 10 s grace
        desk.tick();
        JobStatus timedOut = statuses.last(id);
        assertEquals(TargetState.TIMED_OUT, target(timedOut, "a").state());
        assertEquals(JobState.FAILED, timedOut.state());
        assertTrue(desk.everythingFoldedIsPublished());

        desk.fold(report(a, ProgressKind.FINISHED, 2).withResult(0, 41_000, false, false));
        desk.afterBatch();
        clock.advance(Duration.ofMillis(100)); // the job stays failed: its new status is a coalesced one
        desk.publishCoalesced();
        assertEquals(TargetState.SUCCEEDED, target(statuses.last(id), "a").state());
        assertEquals(JobState.FAILED, statuses.last(id).state(), "b is still unreachable");
    }

    @Test
    void aKnownIdempotencyKeyReturnsTheFirstJobAndSendsNothing() {
        JobEngine.Submission first = desk.submit(command("deploy-42", "all", null, false));
        int tasks = agents.sent.size();
        int published = statuses.acknowledged.size();

        JobEngine.Submission again = desk.submit(new JobRequest("deploy-42", JobKind.COMMAND, "a", "reboot", null, 5,
                null, false, "someone else"));

        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.status().jobId(), again.status().jobId());
        assertEquals("uptime", again.status().request().command());
        assertEquals(3, tasks);
        assertEquals(tasks, agents.sent.size());
        assertEquals(published, statuses.acknowledged.size());
    }

    @Test
    void fallbackTargetsWithoutALiveAgentAndBootstrapsGoOverSsh() {
        liveAgents.remove("b");
        String id = desk.submit(command(null, "a,b", null, true)).status().jobId();

        assertEquals(List.of("a"), agents.sent.stream().map(Task::node).toList());
        assertEquals(List.of("b"), ssh.commands.stream().map(Task::node).toList());
        JobStatus first = statuses.last(id);
        assertEquals("ssh", target(first, "b").via());
        assertEquals("agent", target(first, "a").via());

        // The SSH executor reports like an agent; its result is folded the same way.
        agentRuns(ssh.commands.get(0), "over ssh\n", 0);
        agentRuns(agents.sent.get(0), "over the agent\n", 0);
        assertEquals(JobState.SUCCEEDED, statuses.last(id).state());
        assertEquals("over ssh\n", target(statuses.last(id), "b").stdout());

        // Without the fallback a dead agent's node still gets its task on job.tasks.
        desk.submit(command(null, "b", null, false));
        assertEquals("b", agents.sent.get(agents.sent.size() - 1).node());
        assertEquals(1, ssh.commands.size());

        desk.submit(new JobRequest(null, JobKind.BOOTSTRAP, "pis", null, null, 60, null, false, "test"));
        assertEquals(List.of("a", "b", "c"), ssh.bootstraps.stream().map(Task::node).toList());
        assertEquals(2, agents.sent.size(), "a bootstrap never goes to an agent");
    }

    @Test
    void aConcurrencyWindowLetsTheNextTaskOutWhenOneEnds() {
        String id = desk.submit(command(null, "all", "1", false)).status().jobId();
        assertEquals(List.of("a"), agents.sent.stream().map(Task::node).toList());

        agentRuns(agents.sent.get(0), "1\n", 0);
        assertEquals(List.of("a", "b"), agents.sent.stream().map(Task::node).toList());
        agentRuns(agents.sent.get(1), "2\n", 1);
        clock.advance(Duration.ofSeconds(5)); // c is not accepted: its verdict frees nothing more, ends the job
        desk.tick();

        JobStatus last = statuses.last(id);
        assertEquals(JobState.FAILED, last.state());
        assertEquals(Map.of("a", TargetState.SUCCEEDED, "b", TargetState.FAILED, "c", TargetState.UNREACHABLE),
                Map.of("a", target(last, "a").state(), "b", target(last, "b").state(), "c", target(last, "c").state()));
    }

    @Test
    void playbooksGoToTheirLocalRunnerAndItsReportsAreFoldedLikeAnAgents() {
        String id = desk.submit(new JobRequest(null, JobKind.PLAYBOOK, "pis", "setup_slurm", null, 600, null, false,
                "test")).status().jobId();

        assertTrue(agents.sent.isEmpty());
        assertEquals(List.of(JobValidation.PROVISIONER_TARGET), playbooks.started.stream().map(Task::node).toList());
        Task task = playbooks.started.get(0);
        playbooks.progress.accept(report(task, ProgressKind.ACCEPTED, 0));
        assertEquals(1, localProgress.size(), "the runner's progress goes out on job.progress");

        // Read back from job.progress, it is folded like an agent's report.
        localProgress.forEach(desk::fold);
        desk.fold(report(task, ProgressKind.FINISHED, 1).withResult(2, 900, false, false));
        desk.afterBatch();
        JobStatus last = statuses.last(id);
        assertEquals(JobState.FAILED, last.state());
        assertEquals(2, target(last, JobValidation.PROVISIONER_TARGET).exitCode());
    }

    @Test
    void aRequestTheRunnerOrThePatternRefusesCreatesNoJob() {
        assertThrows(JobRequestException.class, () -> desk.submit(new JobRequest(null, JobKind.PLAYBOOK, "pis",
                "setup_missing", null, 600, null, false, "test")));
        assertThrows(PatternException.class, () -> desk.submit(command(null, "nosuchgroup", null, false)));
        assertThrows(JobRequestException.class, () -> desk.submit(command(null, "all", "0", false)));

        assertEquals(0, desk.size());
        assertTrue(agents.sent.isEmpty() && statuses.acknowledged.isEmpty() && playbooks.started.isEmpty());
    }

    @Test
    void aRestartedDeskRebuildsFromPublishedStatusesAndResumesWhatWasInFlight() {
        String command = desk.submit(command(null, "all", "2", false)).status().jobId();
        String playbook = desk.submit(new JobRequest(null, JobKind.PLAYBOOK, "pis", "setup_slurm", null, 600, null,
                false, "test")).status().jobId();
        agentRuns(agents.sent.get(0), "done\n", 0); // a ends; the window lets c out
        assertEquals(List.of("a", "b", "c"), agents.sent.stream().map(Task::node).toList());
        clock.advance(Duration.ofMillis(100));
        desk.publishCoalesced();
        List<JobStatus> topic = List.copyOf(statuses.acknowledged);

        // A new provisioner 3 s later: the same job.status topic, a fresh table and sinks.
        agents.sent.clear();
        clock.advance(Duration.ofSeconds(3));
        desk = newDesk();
        topic.forEach(desk::restore);

        assertEquals(0, desk.resume(), "b and c are in flight: nothing is sent twice");
        assertTrue(agents.sent.isEmpty());
        assertEquals(2, desk.size());
        assertEquals(List.of(playbook), playbooks.resumed.stream().map(JobStatus::jobId).toList());
        assertEquals(TargetState.SUCCEEDED, target(desk.status(command).orElseThrow(), "a").state());

        // b gets a fresh accept deadline from the restart (its result may wait unread on job.progress).
        clock.advance(Duration.ofSeconds(4));
        desk.tick();
        assertEquals(TargetState.DISPATCHED, target(desk.status(command).orElseThrow(), "b").state());
        clock.advance(Duration.ofSeconds(1));
        desk.tick();
        TargetStatus b = target(desk.status(command).orElseThrow(), "b");
        assertEquals(TargetState.UNREACHABLE, b.state());
        assertEquals(Instant.parse("2026-12-07T06:00:08.100Z"), b.updatedAt());
    }
}
