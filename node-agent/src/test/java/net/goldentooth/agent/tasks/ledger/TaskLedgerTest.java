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
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void aRestartedAgentRemembersEveryStartedTask() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.record("task-1", NOW.plusSeconds(60)));
            assertTrue(ledger.record("task with spaces\nand a newline", NOW.plusSeconds(60)));
            assertFalse(ledger.record("task-1", NOW.plusSeconds(60)), "recorded once only");
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
            ledger.record("short", NOW.plusSeconds(60));
            ledger.record("long", NOW.plus(Duration.ofDays(3)));
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
            ledger.record("task-1", NOW.plusSeconds(60));
        }
        Files.writeString(stateDir.resolve(TaskLedger.FILE_NAME), "17", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.contains("task-1"));
            assertEquals(1, ledger.size());
            assertTrue(ledger.record("task-2", NOW.plusSeconds(60)));
        }
        try (TaskLedger ledger = TaskLedger.open(stateDir, clock)) {
            assertTrue(ledger.contains("task-2"));
        }
    }
}
