package net.goldentooth.agent.tasks.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real /bin/sh processes: ordering, streams, stdin, exit codes, the output cap and the timeout kill. */
class TaskRunnerTest {

    @TempDir
    Path dir;

    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<JobProgress> records = new CopyOnWriteArrayList<>();

    private TaskRunner.Finished run(TaskSpec spec) {
        Task task = new Task("job-1", "task-1", "bettley", spec, Instant.now(), Instant.now().plusSeconds(600));
        TaskProgress progress = new TaskProgress(task, (key, p) -> {
            keys.add(key);
            records.add(p);
        }, Clock.systemUTC());
        progress.accepted();
        return new TaskRunner(1 << 20, false).run(progress);
    }

    private String output(String stream) {
        return records.stream().filter(r -> r.kind() == ProgressKind.OUTPUT && stream.equals(r.stream()))
                .map(JobProgress::data).collect(Collectors.joining());
    }

    private JobProgress finished() {
        JobProgress last = records.get(records.size() - 1);
        assertEquals(ProgressKind.FINISHED, last.kind());
        return last;
    }

    @Test
    void recordsAreNumberedAcrossAllKindsAndOutputKeepsItsOrder() {
        TaskRunner.Finished result = run(new TaskSpec(
                "for i in 1 2 3; do echo out$i; echo err$i >&2; done; exit 3", null, false, 30_000, 65536));
        assertEquals(ProgressKind.ACCEPTED, records.get(0).kind());
        assertEquals(ProgressKind.STARTED, records.get(1).kind());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).seq(), "seq of record " + i);
        }
        assertEquals("out1\nout2\nout3\n", output("stdout"));
        assertEquals("err1\nerr2\nerr3\n", output("stderr"));
        JobProgress finished = finished();
        assertEquals(3, finished.exitCode());
        assertFalse(finished.timedOut());
        assertFalse(finished.truncated());
        assertEquals("failed", result.outcome());
        assertTrue(keys.stream().allMatch("job-1"::equals), "keyed by job id");
    }

    @Test
    void aSimpleCommandRunsAsTheShellWouldAndAMissingOneGetsTheShellsAnswer() {
        // Executed without /bin/sh (SimpleCommand); what the task reports is the same.
        TaskRunner.Finished direct = run(new TaskSpec("uptime", null, false, 30_000, 65536));
        assertEquals("succeeded", direct.outcome());
        assertTrue(output("stdout").contains("load average"), output("stdout"));

        records.clear();
        run(new TaskSpec("no-such-command-goldentooth --version", null, false, 30_000, 65536));
        assertEquals(127, finished().exitCode());
        assertTrue(output("stderr").contains("not found"), output("stderr"));
    }

    @Test
    void stdinIsFedThenClosed() {
        TaskRunner.Finished result = run(new TaskSpec("tr a-z A-Z; echo done", "hello goldentooth\n", false, 30_000,
                65536));
        assertEquals("HELLO GOLDENTOOTH\ndone\n", output("stdout"));
        assertEquals(0, finished().exitCode());
        assertEquals("succeeded", result.outcome());
    }

    @Test
    void aLargeStdinReachesTheCommandWholeAndBlocksNothingWhenUnread() {
        String large = "x".repeat(256 * 1024) + "\n";
        run(new TaskSpec("wc -c", large, false, 30_000, 65536));
        assertEquals(Integer.toString(large.length()), output("stdout").trim(), "written whole");

        records.clear();
        // 256 KiB is more than a pipe holds: its writer blocks while the command does not read, the task
        // does not, so the timeout still ends a command that never reads.
        long start = System.nanoTime();
        TaskRunner.Finished ignored = run(new TaskSpec("sleep 20", large, false, 1_000, 65536));
        assertEquals("timed-out", ignored.outcome());
        assertTrue(finished().timedOut());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(),
                "killed at its 1 s timeout, not when sleep ended");
    }

    @Test
    void outputOverTheCapIsDroppedAndMarkedTruncated() {
        run(new TaskSpec("head -c 100000 /dev/zero | tr '\\0' x", null, false, 30_000, 20_000));
        assertEquals(20_000, output("stdout").length());
        assertTrue(finished().truncated());
        assertEquals(0, finished().exitCode());
        assertTrue(records.stream().filter(r -> r.kind() == ProgressKind.OUTPUT)
                .allMatch(r -> r.data().length() <= OutputChunker.MAX_CHUNK_BYTES), "chunks of at most 8 KiB");
    }

    @Test
    void theTimeoutKillsTheWholeProcessTreeIncludingAGrandchild() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        TaskRunner.Finished result = run(new TaskSpec(
                "sh -c 'sleep 300 & echo $! > " + pidFile + "; sleep 300'", null, false, 1_500, 65536));
        JobProgress finished = finished();
        assertTrue(finished.timedOut());
        assertNull(finished.exitCode());
        assertEquals("timed-out", result.outcome());
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false),
                "the backgrounded sleep 300 must be gone");
    }
}
