package net.goldentooth.agent.tasks.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process executor of simulated nodes: nothing is started for them, the real node still forks. */
class StandInExecutorsTest {

    @TempDir
    Path dir;

    private final List<JobProgress> records = new CopyOnWriteArrayList<>();
    private final TaskRunner forking = new TaskRunner(1 << 20, false);

    private TaskRunner.Finished run(TaskExecutor executor, String node, String command) {
        Task task = new Task("job-1", "task-" + node, node, new TaskSpec(command, null, false, 30_000, 65536),
                Instant.now(), Instant.now().plusSeconds(600));
        TaskProgress progress = new TaskProgress(task, (key, p) -> records.add(p), Clock.systemUTC());
        progress.accepted();
        return executor.run(progress);
    }

    @Test
    void aStandInAnswersInProcessWithTheRecordsOfARunAndStartsNothing() {
        Path marker = dir.resolve("ran");
        TaskExecutor executor = StandInExecutors.of(StandInExecutors.Mode.IN_PROCESS, forking,
                Set.of("sim-00001", "sim-00002"));

        TaskRunner.Finished finished = run(executor, "sim-00002", "touch " + marker);

        assertFalse(Files.exists(marker), "the command must not run for a simulated node");
        assertEquals("succeeded", finished.outcome());
        assertEquals(List.of(ProgressKind.ACCEPTED, ProgressKind.STARTED, ProgressKind.OUTPUT, ProgressKind.FINISHED),
                records.stream().map(JobProgress::kind).toList());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).seq(), "seq of record " + i);
        }
        JobProgress output = records.get(2);
        assertEquals("stdout", output.stream());
        assertTrue(output.data().startsWith("sim-00002: " + InProcessExecutor.MARK + "touch "), output.data());
        assertTrue(output.data().endsWith("\n"));
        assertEquals(0, records.get(3).exitCode());
        assertFalse(records.get(3).timedOut());
    }

    @Test
    void theRealNodeStillForksBesideInProcessStandIns() throws Exception {
        Path marker = dir.resolve("ran");
        TaskExecutor executor = StandInExecutors.of(StandInExecutors.Mode.IN_PROCESS, forking, Set.of("sim-00001"));

        TaskRunner.Finished finished = run(executor, "bettley", "touch " + marker + " && echo done");

        assertTrue(Files.exists(marker), "the real node's command runs");
        assertEquals("succeeded", finished.outcome());
        assertTrue(records.stream().anyMatch(r -> r.kind() == ProgressKind.OUTPUT && "done\n".equals(r.data())));
    }

    @Test
    void forkModeRunsTheStandInsCommandsToo() {
        Path marker = dir.resolve("ran");
        TaskExecutor executor = StandInExecutors.of(StandInExecutors.Mode.FORK, forking, Set.of("sim-00001"));
        assertSame(forking, executor);

        run(executor, "sim-00001", "touch " + marker);

        assertTrue(Files.exists(marker));
    }

    @Test
    void aLongOrMultiLineCommandIsShortenedToOneLine() {
        TaskExecutor executor = StandInExecutors.of(StandInExecutors.Mode.IN_PROCESS, forking, Set.of("sim-00001"));
        run(executor, "sim-00001", "echo " + "x".repeat(200) + "\nrm -rf /tmp/nothing");
        String line = records.get(2).data();
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), line);
        assertTrue(line.length() < 120, line);
    }

    @Test
    void anUnknownModeNamesTheKeyAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandInExecutors.Mode.parse("inprocess"));
        assertTrue(e.getMessage().contains("goldentooth.agent.simulated-executor"), e.getMessage());
        assertTrue(e.getMessage().contains("'in-process'"), e.getMessage());
        assertEquals(StandInExecutors.Mode.IN_PROCESS, StandInExecutors.Mode.parse(" In-Process "));
        assertEquals(StandInExecutors.Mode.FORK, StandInExecutors.Mode.parse("fork"));
    }
}
