package net.goldentooth.agent.tasks.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final TaskLedger.Pending PENDING = new TaskLedger.Pending("bettley",
            new SignedTask("{\"taskId\":\"x\"}", "key", "c2ln"));

    @TempDir
    Path stateDir;

    @Test
    void aRestartedAgentRemembersEveryStartedTask() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.record("task-1", NOW.plusSeconds(60), PENDING));
            assertTrue(ledger.record("task with spaces\nand a newline", NOW.plusSeconds(60), PENDING));
            assertFalse(ledger.record("task-1", NOW.plusSeconds(60), PENDING), "recorded once only");
        }
        try (TaskLedger reloaded = TaskLedger.open(stateDir.resolve("."), clock)) {
            assertTrue(reloaded.contains("task-1"));
            assertTrue(reloaded.contains("task with spaces\nand a newline"));
            assertFalse(reloaded.contains("task-2"));
            assertEquals(2, reloaded.size());
        }
    }

    @Test
    void entriesAreKeptUntilADayAfterExpiryThenCompactedAway() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            ledger.record("short", NOW.plusSeconds(60), PENDING);
            ledger.record("long", NOW.plus(Duration.ofDays(3)), PENDING);
        }
        clock.advance(Duration.ofDays(1));
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.contains("short"), "still inside expiry + 1 day");
        }
        clock.advance(Duration.ofMinutes(2));
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertFalse(ledger.contains("short"));
            assertTrue(ledger.contains("long"));
            assertEquals(1, Files.readAllLines(ledger.file()).size(), "the file was compacted");
        }
    }

    @Test
    void aTornLastLineFromACrashIsIgnored() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            ledger.record("task-1", NOW.plusSeconds(60), PENDING);
        }
        Files.writeString(stateDir.resolve(TaskLedger.FILE_NAME), "17 task-3 R bettley eyJ", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.contains("task-1"));
            assertFalse(ledger.contains("task-3"), "the torn line never counted");
            assertEquals(1, ledger.size());
            assertTrue(ledger.record("task-2", NOW.plusSeconds(60), PENDING));
        }
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.contains("task-2"));
        }
    }

    @Test
    void onlyTasksReceivedAndNeverStartedArePendingAfterARestart() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        SignedTask queued = new SignedTask("{\"taskId\":\"queued\"}", "key-1", "c2lnbmF0dXJl");
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            ledger.record("finished", NOW.plusSeconds(60), PENDING);
            ledger.record("running", NOW.plusSeconds(60), PENDING);
            ledger.record("queued", NOW.plusSeconds(60), new TaskLedger.Pending("bettley", queued));
            ledger.sync();
            ledger.markStarted("finished");
            ledger.markFinished("finished");
            ledger.markStarted("running");
            assertTrue(ledger.started("running"));
            assertFalse(ledger.started("queued"));
            assertTrue(ledger.contains("queued"), "a live redelivery of a queued task is still a replay");
        }
        try (TaskLedger reloaded = TaskLedger.open(stateDir, clock)) {
            assertEquals(List.of(new TaskLedger.Pending("bettley", queued)), reloaded.pending());
            assertTrue(reloaded.started("finished"));
            assertTrue(reloaded.started("running"));
            assertEquals(3, Files.readAllLines(reloaded.file()).size(), "compacted to one line per task");
            reloaded.markStarted("queued");
        }
        try (TaskLedger reloaded = TaskLedger.open(stateDir, clock)) {
            assertEquals(List.of(), reloaded.pending());
        }
    }

    @Test
    void linesOfTheFirstFormatReadAsStarted() throws Exception {
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve(TaskLedger.FILE_NAME), NOW.plusSeconds(60).toEpochMilli() + " old-task\n");
        try (TaskLedger ledger = TaskLedger.open(stateDir, new MutableClock(NOW))) {
            assertTrue(ledger.started("old-task"));
            assertEquals(List.of(), ledger.pending());
        }
    }
}
