package net.goldentooth.provisioner.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.events.job.Task;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobEngineTest {

    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<TargetState, Integer> finished = new EnumMap<>(TargetState.class);
    private final AtomicInteger ignored = new AtomicInteger();
    private JobEngine engine;

    @BeforeEach
    void setUp() {
        engine = newEngine();
    }

    private JobEngine newEngine() {
        return new JobEngine(JobValidationTest.SETTINGS, clock, () -> "id-" + ids.incrementAndGet(),
                new EngineListener() {
                    @Override
                    public void targetFinished(TargetState state) {
                        finished.merge(state, 1, Integer::sum);
                    }

                    @Override
                    public void progressIgnored() {
                        ignored.incrementAndGet();
                    }
                });
    }

    private JobEngine.Submission start(List<String> nodes, String concurrency, String key) {
        JobRequest request = new JobRequest(key, JobKind.COMMAND, "all", "uptime", null, 30, concurrency, false, "t");
        return engine.start(new JobPlan(request, nodes, Duration.ofSeconds(30), Concurrency.parse(concurrency)));
    }

    private static JobProgress progress(Task task, ProgressKind kind, long seq) {
        return JobProgress.of(task, kind, seq, Instant.parse("2026-11-25T10:00:00Z"));
    }

    private static JobProgress output(Task task, long seq, String stream, String data) {
        return progress(task, ProgressKind.OUTPUT, seq).withOutput(stream, data);
    }

    private static JobProgress finished(Task task, long seq, int exit) {
        return progress(task, ProgressKind.FINISHED, seq).withResult(exit, 12, false, false);
    }

    private TargetStatus target(String jobId, String node) {
        return engine.status(jobId).orElseThrow().targets().get(node);
    }

    /** ACCEPTED, STARTED, one line of stdout, FINISHED with {@code exit}. */
    private void runToEnd(Task task, int exit) {
        engine.fold(progress(task, ProgressKind.ACCEPTED, 0));
        engine.fold(progress(task, ProgressKind.STARTED, 1));
        engine.fold(output(task, 2, "stdout", task.node() + " up\n"));
        engine.fold(finished(task, 3, exit));
    }

    @Test
    void planningDispatchesOneFreshTaskPerTarget() {
        JobEngine.Submission s = start(List.of("a", "b"), null, null);
        assertTrue(s.created());
        assertEquals(JobState.RUNNING, s.status().state());
        assertEquals(2, s.tasks().size());
        Task a = s.tasks().get(0);
        assertEquals("a", a.node());
        assertFalse(a.taskId().equals(s.tasks().get(1).taskId()));
        assertEquals(clock.instant(), a.notBefore());
        assertEquals(clock.instant().plusSeconds(30 + 10), a.expiresAt());
        assertEquals(30_000, a.spec().timeoutMs());
        assertEquals("uptime", a.spec().command());
        assertEquals(TargetState.DISPATCHED, s.status().targets().get("a").state());
    }

    @Test
    void foldingMovesTargetsAndTheJobToSucceededWithOutput() {
        JobEngine.Submission s = start(List.of("a", "b"), null, null);
        String job = s.status().jobId();
        runToEnd(s.tasks().get(0), 0);
        assertEquals(TargetState.SUCCEEDED, target(job, "a").state());
        assertEquals("a up\n", target(job, "a").stdout());
        assertEquals(3L, target(job, "a").lastSeq());
        assertEquals(JobState.RUNNING, engine.status(job).orElseThrow().state());
        runToEnd(s.tasks().get(1), 2);
        TargetStatus b = target(job, "b");
        assertEquals(TargetState.FAILED, b.state());
        assertEquals("exit code 2", b.reason());
        assertEquals(JobState.FAILED, engine.status(job).orElseThrow().state());
        assertEquals(1, finished.get(TargetState.SUCCEEDED));
        assertEquals(1, finished.get(TargetState.FAILED));
    }

    @Test
    void foldingIsIdempotentUnderDuplicatesAndReordering() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        String job = s.status().jobId();
        Task t = s.tasks().get(0);
        engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
        engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
        // seq 3 arrives before 2: held until the gap fills, then folded in order.
        JobEngine.Folded early = engine.fold(output(t, 3, "stdout", "second\n"));
        assertTrue(early.output().isEmpty());
        engine.fold(output(t, 3, "stdout", "second\n"));
        engine.fold(progress(t, ProgressKind.STARTED, 1));
        JobEngine.Folded filled = engine.fold(output(t, 2, "stdout", "first\n"));
        assertEquals(List.of(2L, 3L), filled.output().stream().map(JobProgress::seq).toList());
        engine.fold(output(t, 2, "stdout", "first\n"));
        engine.fold(finished(t, 4, 0));
        engine.fold(finished(t, 4, 0));
        assertEquals("first\nsecond\n", target(job, "a").stdout());
        assertEquals(4L, target(job, "a").lastSeq());
        assertEquals(JobState.SUCCEEDED, engine.status(job).orElseThrow().state());
        assertEquals(1, finished.get(TargetState.SUCCEEDED));
    }

    @Test
    void aGapThatNeverFillsIsFoldedAfterTheReorderWait() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        Task t = s.tasks().get(0);
        engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
        engine.fold(output(t, 2, "stdout", "after the gap\n"));
        engine.fold(finished(t, 3, 0));
        assertEquals(TargetState.ACCEPTED, target(t.jobId(), "a").state());
        clock.advance(JobEngine.REORDER_WAIT);
        JobEngine.Tick tick = engine.applyDeadlines();
        assertEquals(List.of(t.jobId()), List.copyOf(tick.changedJobs()));
        assertEquals(TargetState.SUCCEEDED, target(t.jobId(), "a").state());
        assertEquals("after the gap\n", target(t.jobId(), "a").stdout());
    }

    @Test
    void outputIsCappedAndMarkedTruncated() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        Task t = s.tasks().get(0);
        engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
        engine.fold(output(t, 1, "stdout", "x".repeat(1000)));
        engine.fold(output(t, 2, "stderr", "é".repeat(100)));
        TargetStatus a = target(t.jobId(), "a");
        assertTrue(a.truncated());
        assertEquals(1000, a.stdout().length());
        // 24 bytes were left: twelve two-byte characters, never half of one.
        assertEquals("é".repeat(12), a.stderr());
    }

    @Test
    void rejectedCarriesTheReasonAndUnknownProgressIsIgnored() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        Task t = s.tasks().get(0);
        engine.fold(progress(t, ProgressKind.REJECTED, 0).withReason("bad signature"));
        assertEquals(TargetState.REJECTED, target(t.jobId(), "a").state());
        assertEquals("bad signature", target(t.jobId(), "a").reason());
        assertEquals(JobState.FAILED, engine.status(t.jobId()).orElseThrow().state());

        Task stranger = new Task("other-job", t.taskId(), "a", t.spec(), t.notBefore(), t.expiresAt());
        assertNull(engine.fold(progress(stranger, ProgressKind.ACCEPTED, 0)).jobId());
        Task unknownTask = new Task(t.jobId(), "no-such-task", "a", t.spec(), t.notBefore(), t.expiresAt());
        engine.fold(progress(unknownTask, ProgressKind.ACCEPTED, 0));
        assertEquals(2, ignored.get());
    }

    @Test
    void deadlinesMakeSilentTargetsUnreachableAndStuckOnesTimedOut() {
        JobEngine.Submission s = start(List.of("silent", "stuck", "fine"), null, null);
        String job = s.status().jobId();
        engine.fold(progress(s.tasks().get(1), ProgressKind.ACCEPTED, 0));
        engine.fold(progress(s.tasks().get(1), ProgressKind.STARTED, 1));
        runToEnd(s.tasks().get(2), 0);

        clock.advance(Duration.ofMillis(4_999));
        assertTrue(engine.applyDeadlines().changedJobs().isEmpty());
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(job), List.copyOf(engine.applyDeadlines().changedJobs()));
        assertEquals(TargetState.UNREACHABLE, target(job, "silent").state());
        assertEquals("no agent accepted the task within 5s", target(job, "silent").reason());
        assertEquals(TargetState.RUNNING, target(job, "stuck").state());

        clock.advance(Duration.ofSeconds(35));
        engine.applyDeadlines();
        assertEquals(TargetState.TIMED_OUT, target(job, "stuck").state());
        assertEquals(JobState.FAILED, engine.status(job).orElseThrow().state());
    }

    @Test
    void aLateResultReplacesTheDeadlinesVerdictAndFlipsTheJob() {
        JobEngine.Submission s = start(List.of("slow"), null, null);
        String job = s.status().jobId();
        Task t = s.tasks().get(0);
        clock.advance(Duration.ofSeconds(6));
        engine.applyDeadlines();
        assertEquals(TargetState.UNREACHABLE, target(job, "slow").state());
        assertEquals(JobState.FAILED, engine.status(job).orElseThrow().state());

        engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
        assertEquals(TargetState.UNREACHABLE, target(job, "slow").state(), "only a result overrides the deadline");
        engine.fold(output(t, 1, "stdout", "late\n"));
        engine.fold(finished(t, 2, 0));
        assertEquals(TargetState.SUCCEEDED, target(job, "slow").state());
        assertEquals("late\n", target(job, "slow").stdout());
        assertEquals(JobState.SUCCEEDED, engine.status(job).orElseThrow().state());
    }

    @Test
    void aConcurrencyCountKeepsThatManyOutstanding() {
        JobEngine.Submission s = start(List.of("a", "b", "c", "d", "e"), "2", null);
        assertEquals(List.of("a", "b"), s.tasks().stream().map(Task::node).toList());
        assertEquals(TargetState.PENDING, s.status().targets().get("c").state());
        engine.fold(progress(s.tasks().get(0), ProgressKind.ACCEPTED, 0));
        JobEngine.Folded done = engine.fold(finished(s.tasks().get(0), 1, 0));
        assertEquals(List.of("c"), done.tasks().stream().map(Task::node).toList());
        // a deadline's verdict frees a slot too
        clock.advance(Duration.ofSeconds(5));
        JobEngine.Tick tick = engine.applyDeadlines();
        assertEquals(List.of("d", "e"), tick.tasks().stream().map(Task::node).toList());
    }

    @Test
    void aConcurrencyPercentageIsAShareOfTheTargets() {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            nodes.add("n" + i);
        }
        JobEngine.Submission s = start(nodes, "10%", null);
        assertEquals(2, s.tasks().size());
        JobEngine.Folded next = engine.fold(progress(s.tasks().get(1), ProgressKind.REJECTED, 0));
        assertEquals(List.of("n2"), next.tasks().stream().map(Task::node).toList());
    }

    @Test
    void aSecondRequestWithTheSameKeyReturnsTheFirstJob() {
        JobEngine.Submission first = start(List.of("a"), null, "key-1");
        JobEngine.Submission second = start(List.of("a", "b"), null, "key-1");
        assertFalse(second.created());
        assertTrue(second.tasks().isEmpty());
        assertEquals(first.status().jobId(), second.status().jobId());
        assertEquals(first.status().jobId(), engine.findByIdempotencyKey("key-1").orElseThrow().jobId());
        assertTrue(start(List.of("a"), null, "key-2").created());
    }

    @Test
    void revisionGrowsByOnePerPublishedChange() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        List<JobStatus> first = engine.takeDueStatuses();
        assertEquals(List.of(1L), first.stream().map(JobStatus::revision).toList());
        assertTrue(engine.takeDueStatuses().isEmpty());
        assertNull(engine.untilNextDue());
        engine.fold(progress(s.tasks().get(0), ProgressKind.ACCEPTED, 0));
        engine.fold(progress(s.tasks().get(0), ProgressKind.STARTED, 1));
        assertEquals(List.of(2L), engine.takeDueStatuses().stream().map(JobStatus::revision).toList());
    }

    @Test
    void largeJobsArePublishedAtMostOncePerCoalesceWindowExceptWhenTheyEnd() {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < JobEngine.COALESCE_MIN_TARGETS; i++) {
            nodes.add("n" + i);
        }
        JobEngine.Submission s = start(nodes, null, null);
        assertEquals(1, engine.takeDueStatuses().size());
        for (Task t : s.tasks().subList(0, nodes.size() - 1)) {
            engine.fold(progress(t, ProgressKind.ACCEPTED, 0));
            engine.fold(finished(t, 1, 0));
        }
        assertTrue(engine.takeDueStatuses().isEmpty(), "inside the window");
        assertEquals(Duration.ofMillis(100), engine.untilNextDue());
        clock.advance(Duration.ofMillis(100));
        assertTrue(engine.takeUrgentStatuses().isEmpty(), "a running large job is never urgent");
        assertEquals(1, engine.takeDueStatuses().size());
        Task last = s.tasks().get(nodes.size() - 1);
        engine.fold(progress(last, ProgressKind.REJECTED, 0));
        List<JobStatus> terminal = engine.takeUrgentStatuses();
        assertEquals(1, terminal.size(), "a terminal change is published at once");
        assertEquals(JobState.FAILED, terminal.get(0).state());
    }

    @Test
    void theTableIsRebuiltFromPublishedStatusesAndFoldingContinuesWithoutDoubling() {
        JobEngine.Submission s = start(List.of("a", "b", "c"), "2", "key-r");
        Task a = s.tasks().get(0);
        engine.fold(progress(a, ProgressKind.ACCEPTED, 0));
        engine.fold(output(a, 1, "stdout", "one\n"));
        engine.fold(progress(s.tasks().get(1), ProgressKind.ACCEPTED, 0));
        List<JobStatus> published = new ArrayList<>(engine.takeDueStatuses());
        // Through the codec, as the replay reads them.
        JobStatus wire = EventCodec.decode(EventCodec.encode(published.get(published.size() - 1)), JobStatus.class);

        JobEngine rebuilt = newEngine();
        rebuilt.restore(wire);
        assertEquals(wire, rebuilt.status(wire.jobId()).orElseThrow());
        assertFalse(rebuilt.start(new JobPlan(wire.request(), List.of("a"), Duration.ofSeconds(30),
                Concurrency.UNLIMITED)).created(), "idempotency keys survive the rebuild");
        assertTrue(rebuilt.resume().isEmpty(), "the window of 2 is full");

        // Redelivered progress is recognised by seq; new progress continues.
        rebuilt.fold(output(a, 1, "stdout", "one\n"));
        rebuilt.fold(output(a, 2, "stdout", "two\n"));
        JobEngine.Folded done = rebuilt.fold(finished(a, 3, 0));
        assertEquals("one\ntwo\n", rebuilt.status(wire.jobId()).orElseThrow().targets().get("a").stdout());
        assertEquals(List.of("c"), done.tasks().stream().map(Task::node).toList());
        clock.advance(Duration.ofMillis(100)); // a running job of three targets: due once per status-coalesce
        List<JobStatus> next = rebuilt.takeDueStatuses();
        assertEquals(wire.revision() + 1, next.get(0).revision());

        // An older record never replaces a newer one.
        rebuilt.restore(published.get(0));
        assertEquals(wire.revision() + 1, rebuilt.status(wire.jobId()).orElseThrow().revision());
    }

    @Test
    void rebuiltInFlightTargetsGetAFreshAcceptDeadline() {
        JobEngine.Submission s = start(List.of("a"), null, null);
        JobStatus wire = engine.takeDueStatuses().get(0);
        clock.advance(Duration.ofMinutes(1));
        JobEngine rebuilt = newEngine();
        rebuilt.restore(wire);
        rebuilt.resume();
        assertTrue(rebuilt.applyDeadlines().changedJobs().isEmpty(), "results may be waiting on job.progress");
        clock.advance(Duration.ofSeconds(5));
        rebuilt.applyDeadlines();
        assertEquals(TargetState.UNREACHABLE,
                rebuilt.status(s.status().jobId()).orElseThrow().targets().get("a").state());
    }

    @Test
    void pagesAreNewestFirstAndFiltered() {
        String first = start(List.of("a"), null, null).status().jobId();
        clock.advance(Duration.ofSeconds(1));
        JobEngine.Submission second = start(List.of("b"), null, null);
        engine.fold(progress(second.tasks().get(0), ProgressKind.REJECTED, 0));
        assertEquals(List.of(second.status().jobId(), first),
                engine.page(0, 50, null, null, null).jobs().stream().map(j -> j.jobId()).toList());
        assertEquals(List.of(first), engine.page(0, 50, JobState.RUNNING, null, null).jobs().stream()
                .map(j -> j.jobId()).toList());
        assertEquals(List.of(first), engine.page(0, 50, null, "a", null).jobs().stream().map(j -> j.jobId()).toList());
        var page = engine.page(1, 1, null, null, null);
        assertEquals(2, page.total());
        assertEquals(List.of(first), page.jobs().stream().map(j -> j.jobId()).toList());
        assertEquals(Map.of("rejected", 1), engine.page(0, 1, null, null, null).jobs().get(0).targetStates());
    }
}
