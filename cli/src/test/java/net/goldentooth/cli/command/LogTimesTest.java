package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import net.goldentooth.cli.render.LogLines;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.Test;

class LogTimesTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T14:30:00Z"), ZoneId.of("Europe/Berlin"));

    @Test
    void journalctlsTimeFormsAreUnderstood() {
        assertEquals(Instant.parse("2026-12-07T13:30:00Z"), LogTimes.parse("-1h", clock));
        assertEquals(Instant.parse("2026-12-07T14:00:00Z"), LogTimes.parse("30m ago", clock));
        assertEquals(Instant.parse("2026-12-05T14:30:00Z"), LogTimes.parse("2d", clock));
        assertEquals(Instant.parse("2026-12-07T14:35:00Z"), LogTimes.parse("+5m", clock));
        assertEquals(Instant.parse("2026-12-06T23:00:00Z"), LogTimes.parse("today", clock), "midnight in Berlin");
        assertEquals(Instant.parse("2026-12-05T23:00:00Z"), LogTimes.parse("yesterday", clock));
        assertEquals(Instant.parse("2026-12-07T13:00:05Z"), LogTimes.parse("2026-12-07 14:00:05", clock));
        assertEquals(Instant.parse("2026-12-07T12:00:00Z"), LogTimes.parse("13:00", clock));
        assertEquals(Instant.parse("2026-12-07T02:00:00Z"), LogTimes.parse("2026-12-07T02:00:00Z", clock));
        assertEquals(clock.instant(), LogTimes.parse("now", clock));
    }

    @Test
    void anythingElseIsAnErrorWithExamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogTimes.parse("last tuesday", clock));
        assertTrue(e.getMessage().contains("'last tuesday' is not a time"), e.getMessage());
    }

    @Test
    void linesAreTaggedByHostLikeJournalctlsShortFormat() {
        LogEntry entry = new LogEntry("fenn", "journal", "ssh", "sshd", 4, "Failed password for root",
                Instant.parse("2026-12-07T02:37:55.819641Z"), null, null, 812, "c", null, null);
        assertEquals("Dec 07 03:37:55.819641 fenn sshd[812]: Failed password for root",
                LogLines.format(entry, ZoneId.of("Europe/Berlin")));
        LogEntry cut = new LogEntry("bettley", "/x/provisioner.log", "provisioner", null, 6, "zzz",
                Instant.parse("2026-12-07T02:37:55Z"), null, null, null, "1:2", 9000L, null);
        assertEquals("Dec 07 02:37:55.000000 bettley provisioner: zzz [truncated: 9000 bytes]",
                LogLines.format(cut, ZoneId.of("UTC")));
    }
}
