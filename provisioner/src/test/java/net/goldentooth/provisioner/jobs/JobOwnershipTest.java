package net.goldentooth.provisioner.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.Task;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * Several provisioner instances over one {@code job.status} topic, driven through the pure job
 * path: who owns a job (its partition), what an instance that does not own it may do (read it,
 * nothing else), and what a new owner does after a rebalance or a kill: rebuild from the topic,
 * continue the deadlines, send only what was never sent (under the task ids the job was created
 * with), and fold re-read progress without counting it twice. Instances share the topic and the
 * clock; each has its own table and sinks, as separate processes would.
 */
class JobOwnershipTest {

    private static final Inventory INVENTORY = InventoryParser.parse(
            "all:\n  children:\n    pis:\n      hosts:\n        a:\n        b:\n        c:\n", "t.yaml");
    private static final List<Integer> ALL = IntStream.range(0, JobEngine.PARTITIONS).boxed().toList();

    private final MutableClock clock = MutableClock.at("2026-12-07T06:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    /** The broker's job.status, every instance's acknowledged publications in order. */
    private final List<JobStatus> topic = new ArrayList<>();

    /** One provisioner process: its table, and what it sent. */
    private final class Instance {
        final List<Task> sent = new ArrayList<>();
        final List<JobStatus> published = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        final List<JobProgress> shown = new ArrayList<>();
        final List<String> runnerLog = new ArrayList<>();
        final JobEngine engine = new JobEngine(JobValidationTest.SETTINGS, clock, () -> "id-" + ids.incrementAndGet(),
                new EngineListener() { });
        final JobDesk desk;

        Instance(Collection<Integer> owned) {
            TaskSink agents = tasks -> {
                sent.addAll(tasks);
                return tasks.stream().<CompletableFuture<?>>map(t -> CompletableFuture.completedFuture(null)).toList();
            };
            StatusSink statuses = due -> {
                published.addAll(due);
                topic.addAll(due);
                return due.stream().<CompletableFuture<?>>map(s -> CompletableFuture.completedFuture(null)).toList();
            };
            JobWatcher watcher = new JobWatcher() {
                @Override
                public void progress(List<JobProgress> output) {
                    shown.addAll(output);
                }

                @Override
                public void changed(String jobId) {
                    changed.add(jobId);
                }
            };
            SshSink noSsh = new SshSink() {
                @Override
                public void command(Task task) {
                    throw new AssertionError("no SSH here");
                }

                @Override
                public void bootstrap(Task task) {
                    throw new AssertionError("no SSH here");
                }
            };
            LocalRunner playbooks = new LocalRunner() {
                @Override
                public JobKind kind() {
                    return JobKind.PLAYBOOK;
                }

                @Override
                public void validate(JobRequest request) {
                }

                @Override
                public void start(Task task, JobRequest request, java.util.function.Consumer<JobProgress> progress) {
                    runnerLog.add("start " + task.jobId());
                }

                @Override
                public void resume(JobStatus status, java.util.function.Consumer<JobProgress> progress) {
                    runnerLog.add("resume " + status.jobId());
                }

                @Override
                public void release(String jobId) {
                    runnerLog.add("release " + jobId);
                }
            };
            desk = new JobDesk(engine, INVENTORY, node -> true,
                    new JobDesk.Outlets(agents, noSsh, statuses, p -> { }, watcher), List.of(playbooks));
            List<Integer> notOwned = new ArrayList<>(ALL);
            notOwned.removeAll(owned);
            desk.release(notOwned, false);
        }

        /** What the group's assignment does: rebuild these partitions from the topic as it is now, then own them. */
        int adopt(Collection<Integer> partitions) {
            List<JobStatus> now = List.copyOf(topic);
            return desk.adopt(partitions, (parts, into) -> now.stream()
                    .filter(s -> parts.contains(JobEngine.partitionOf(s.jobId()))).forEach(into));
        }

        /** The status tail: every record published since {@code from}. */
        void observeFrom(int from) {
            List.copyOf(topic.subList(from, topic.size())).forEach(desk::observe);
        }
    }

    private static JobRequest command(String pattern, String concurrency) {
        return new JobRequest(null, JobKind.COMMAND, pattern, "uptime", null, 30, concurrency, false, "test");
    }

    private JobProgress report(Task task, ProgressKind kind, long seq) {
        return JobProgress.of(task, kind, seq, clock.instant());
    }

    private static Task taskFor(List<Task> sent, String node) {
        return sent.stream().filter(t -> t.node().equals(node)).findFirst().orElseThrow();
    }

    private static List<Long> revisions(List<JobStatus> statuses, String jobId) {
        return statuses.stream().filter(s -> s.jobId().equals(jobId)).map(JobStatus::revision).toList();
    }

    @Test
    void aJobIsCreatedOnAPartitionItsInstanceOwnsAndOtherInstancesOnlyReadIt() {
        Instance a = new Instance(List.of(0, 1, 2));
        Instance b = new Instance(List.of(3, 4, 5));

        String id = a.desk.submit(command("a", null)).status().jobId();
        assertTrue(Set.of(0, 1, 2).contains(JobEngine.partitionOf(id)), "job " + id + " on an owned partition");
        assertTrue(a.desk.owns(id));
        b.observeFrom(0);
        assertFalse(b.desk.owns(id));
        assertEquals(JobState.RUNNING, b.desk.status(id).orElseThrow().state(), "any instance answers for any job");
        assertEquals(List.of(id), b.changed, "the reader's live streams are told");

        // The reader neither folds, nor ticks, nor publishes the job.
        Task task = a.sent.get(0);
        b.desk.fold(report(task, ProgressKind.ACCEPTED, 0));
        clock.advance(Duration.ofSeconds(60));
        b.desk.tick();
        b.desk.publishCoalesced();
        assertEquals(TargetState.DISPATCHED, b.desk.status(id).orElseThrow().targets().get("a").state());
        assertTrue(b.published.isEmpty() && b.sent.isEmpty());
        assertTrue(b.desk.everythingFoldedIsPublished(), "nothing of another owner's job holds the commit gate");

        // Its output still reaches the reader's live streams, from the progress tail.
        b.desk.observeProgress(report(task, ProgressKind.OUTPUT, 2).withOutput("stdout", "up 3 days\n"));
        assertEquals(1, b.shown.size());
        a.desk.observeProgress(report(task, ProgressKind.OUTPUT, 2).withOutput("stdout", "up 3 days\n"));
        assertTrue(a.shown.isEmpty(), "the owner shows output from its fold, not from the tail");
    }

    @Test
    void anInstanceThatOwnsNoPartitionStartsNothing() {
        Instance idle = new Instance(List.of());
        assertThrows(JobEngine.NotOwner.class, () -> idle.desk.submit(command("a", null)));
        assertTrue(idle.sent.isEmpty() && idle.published.isEmpty());
        assertEquals(0, idle.desk.size());
    }

    @Test
    void aKilledOwnersJobIsContinuedByTheNewOwnerWithoutResendingOrCountingTwice() {
        Instance a = new Instance(ALL);
        Instance b = new Instance(List.of());
        String id = a.desk.submit(command("all", "2")).status().jobId();
        int partition = JobEngine.partitionOf(id);
        Task ta = taskFor(a.sent, "a");
        Task tb = taskFor(a.sent, "b");
        assertEquals(2, a.sent.size(), "a window of 2: c waits");
        String cTaskId = a.desk.status(id).orElseThrow().targets().get("c").taskId();

        // Folded and published on A: b accepted, started, printed "x"; the batch's offsets committed.
        a.desk.fold(report(tb, ProgressKind.ACCEPTED, 0));
        a.desk.fold(report(tb, ProgressKind.STARTED, 1));
        a.desk.fold(report(tb, ProgressKind.OUTPUT, 2).withOutput("stdout", "x\n"));
        a.desk.afterBatch();
        clock.advance(Duration.ofMillis(100));
        a.desk.publishCoalesced();
        assertTrue(a.desk.everythingFoldedIsPublished());
        // Folded on A but never published: a's first report. A is killed before its commit gate opens.
        a.desk.fold(report(ta, ProgressKind.ACCEPTED, 0));

        // Ten seconds later the group gives A's partitions to B.
        clock.advance(Duration.ofSeconds(10));
        assertEquals(0, b.adopt(List.of(partition)), "a and b were sent already: nothing is sent again");
        assertTrue(b.desk.owns(id));
        assertTrue(b.sent.isEmpty());

        // B's fresh accept deadline: a's acceptance sits unread on job.progress, not lost.
        clock.advance(Duration.ofSeconds(4));
        b.desk.tick();
        assertEquals(TargetState.DISPATCHED, b.desk.status(id).orElseThrow().targets().get("a").state());

        // B reads job.progress from A's last commit: b's first three records again, then the rest.
        b.desk.fold(report(tb, ProgressKind.ACCEPTED, 0));
        b.desk.fold(report(tb, ProgressKind.STARTED, 1));
        b.desk.fold(report(tb, ProgressKind.OUTPUT, 2).withOutput("stdout", "x\n"));
        b.desk.fold(report(tb, ProgressKind.FINISHED, 3).withResult(0, 5, false, false));
        b.desk.fold(report(ta, ProgressKind.ACCEPTED, 0));
        b.desk.fold(report(ta, ProgressKind.FINISHED, 1).withResult(0, 5, false, false));
        b.desk.afterBatch();

        // The window let c out, from B, under the task id the job was created with.
        assertEquals(1, b.sent.size());
        Task tc = b.sent.get(0);
        assertEquals("c", tc.node());
        assertEquals(cTaskId, tc.taskId(), "a target is never sent under a new id");
        b.desk.fold(report(tc, ProgressKind.ACCEPTED, 0));
        b.desk.fold(report(tc, ProgressKind.FINISHED, 1).withResult(0, 5, false, false));
        b.desk.afterBatch();

        JobStatus done = b.desk.status(id).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals("x\n", done.targets().get("b").stdout(), "re-read output is not doubled");
        assertEquals(done, b.published.get(b.published.size() - 1));
        List<Long> revs = revisions(topic, id);
        for (int i = 1; i < revs.size(); i++) {
            assertTrue(revs.get(i) > revs.get(i - 1), "revisions grow across owners: " + revs);
        }
    }

    @Test
    void aGracefulRebalanceFlushesFirstAndTheGivenAwayPartitionIsNotTickedAnyMore() {
        Instance a = new Instance(ALL);
        String id = a.desk.submit(command("a,b", null)).status().jobId();
        Task ta = taskFor(a.sent, "a");
        a.desk.fold(report(ta, ProgressKind.ACCEPTED, 0));
        a.desk.afterBatch(); // a two-target job: coalesced, so not yet published
        assertFalse(a.desk.everythingFoldedIsPublished());
        int before = a.published.size();

        a.desk.release(List.of(JobEngine.partitionOf(id)), true);
        assertEquals(before + 1, a.published.size(), "what was folded is published before the partition goes");
        assertEquals(TargetState.ACCEPTED, a.published.get(before).targets().get("a").state());

        clock.advance(Duration.ofMinutes(5));
        a.desk.tick();
        a.desk.fold(report(ta, ProgressKind.FINISHED, 1).withResult(0, 5, false, false));
        a.desk.afterBatch();
        a.desk.publishCoalesced();
        assertEquals(before + 1, a.published.size(), "a given-away job is neither timed out nor folded here");
        assertEquals(TargetState.ACCEPTED, a.desk.status(id).orElseThrow().targets().get("a").state());
    }

    @Test
    void aZombieOwnersLaterStatusIsOutRevisionedByTheRealOwner() {
        Instance zombie = new Instance(ALL);
        Instance owner = new Instance(List.of());
        String id = zombie.desk.submit(command("a,b", null)).status().jobId();
        int partition = JobEngine.partitionOf(id);
        owner.adopt(List.of(partition));
        int tail = topic.size();

        // The zombie woke from a long pause and has not polled yet: it still ticks and publishes.
        clock.advance(Duration.ofSeconds(6));
        zombie.desk.tick(); // both targets unreachable on its side
        JobStatus zombies = zombie.published.get(zombie.published.size() - 1);
        assertEquals(JobState.FAILED, zombies.state());

        owner.observeFrom(tail);
        assertEquals(1, owner.engine.foreignStatuses());
        owner.desk.publishCoalesced();
        JobStatus answer = owner.published.get(owner.published.size() - 1);
        assertTrue(answer.revision() > zombies.revision(), "readers follow the owner again");
        assertEquals(JobState.RUNNING, answer.state(), "the owner's own table, not the zombie's verdict");
        assertEquals(answer, topic.get(topic.size() - 1), "the compacted topic ends with the owner's record");
    }

    @Test
    void aPartitionThatMovesTwiceEndsWithEverythingEachOwnerFolded() {
        Instance a = new Instance(ALL);
        Instance b = new Instance(List.of());
        String id = a.desk.submit(command("a,b", null)).status().jobId();
        int partition = JobEngine.partitionOf(id);
        Task ta = taskFor(a.sent, "a");
        Task tb = taskFor(a.sent, "b");
        a.desk.fold(report(ta, ProgressKind.ACCEPTED, 0));
        a.desk.fold(report(ta, ProgressKind.OUTPUT, 1).withOutput("stdout", "1\n"));
        a.desk.afterBatch();

        // A second instance joins: the partition moves A -> B (A flushes first).
        a.desk.release(List.of(partition), true);
        b.adopt(List.of(partition));
        int tail = topic.size();
        b.desk.fold(report(ta, ProgressKind.OUTPUT, 2).withOutput("stdout", "2\n"));
        b.desk.fold(report(ta, ProgressKind.FINISHED, 3).withResult(0, 5, false, false));
        b.desk.afterBatch();
        clock.advance(Duration.ofMillis(100));
        b.desk.publishCoalesced();
        a.observeFrom(tail);
        assertEquals("1\n2\n", a.desk.status(id).orElseThrow().targets().get("a").stdout(), "A reads B's progress");

        // B leaves: the partition moves back B -> A.
        b.desk.release(List.of(partition), true);
        a.adopt(List.of(partition));
        a.desk.fold(report(tb, ProgressKind.ACCEPTED, 0));
        a.desk.fold(report(tb, ProgressKind.FINISHED, 1).withResult(0, 5, false, false));
        a.desk.afterBatch();

        JobStatus done = a.desk.status(id).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state());
        assertEquals("1\n2\n", done.targets().get("a").stdout());
        assertEquals(done, topic.get(topic.size() - 1));
        List<Long> revs = revisions(topic, id);
        for (int i = 1; i < revs.size(); i++) {
            assertTrue(revs.get(i) > revs.get(i - 1), "revisions grow across both moves: " + revs);
        }
    }

    @Test
    void aPlaybookGivenAwayIsStoppedHereBeforeTheNewOwnerResumesIt() {
        Instance a = new Instance(ALL);
        Instance b = new Instance(List.of());
        String id = a.desk.submit(new JobRequest(null, JobKind.PLAYBOOK, "pis", "setup_slurm", null, 600, null, false,
                "test")).status().jobId();
        String done = a.desk.submit(new JobRequest(null, JobKind.PLAYBOOK, "pis", "setup_nfs", null, 600, null, false,
                "test")).status().jobId();
        assertEquals(List.of("start " + id, "start " + done), a.runnerLog);
        Task finished = new Task(done, a.desk.status(done).orElseThrow().targets().values().iterator().next().taskId(),
                JobValidation.PROVISIONER_TARGET, null, clock.instant(), clock.instant().plusSeconds(600));
        a.desk.fold(report(finished, ProgressKind.ACCEPTED, 0));
        a.desk.fold(report(finished, ProgressKind.FINISHED, 1).withResult(0, 5, false, false));
        a.desk.afterBatch();

        List<Integer> moved = List.of(JobEngine.partitionOf(id), JobEngine.partitionOf(done)).stream().distinct().toList();
        a.desk.release(moved, true);
        assertEquals(List.of("start " + id, "start " + done, "release " + id), a.runnerLog,
                "only the running one is stopped");
        b.adopt(moved);
        assertEquals(List.of("resume " + id), b.runnerLog, "the new owner is its only driver");
    }
}
