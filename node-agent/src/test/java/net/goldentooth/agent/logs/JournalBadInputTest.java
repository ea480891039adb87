package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal source's bad input, counted: journalctl's output is replayed by a stand-in (a shell
 * script printing what systemd 252's {@code journalctl --output=json --all} prints for such entries,
 * then staying open as {@code --follow} does), so a multi-megabyte entry, invalid UTF-8, binary
 * fields and a line that is no entry are tested in milliseconds; the real journald's side (binary
 * messages, rotation, vacuuming, cursors) is {@link JournaldShippingIT}.
 */
class JournalBadInputTest {

    @TempDir
    Path dir;

    private static String entry(int seq, String messageJson) {
        return "{\"__CURSOR\":\"s=ab;i=" + Integer.toHexString(seq) + ";b=e5;m=1;t=662021cf94879;x=1\","
                + "\"__REALTIME_TIMESTAMP\":\"1796611075819641\",\"__MONOTONIC_TIMESTAMP\":\"178406754\","
                + "\"_BOOT_ID\":\"e51152ef712b460c8de57234f6220a69\",\"PRIORITY\":\"6\",\"_PID\":\"812\","
                + "\"_SYSTEMD_UNIT\":\"kubelet.service\",\"SYSLOG_IDENTIFIER\":\"kubelet\",\"MESSAGE\":" + messageJson + "}\n";
    }

    @Test
    void eachBadEntryHasACountedOutcomeAndTheLinesAfterItAreWhole() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(entry(1, "\"before\"").getBytes(StandardCharsets.UTF_8));
        // A 3 MiB message: over the 1 MiB entry limit, so not parsed at all; a mark is shipped instead.
        out.writeBytes(entry(2, "\"" + "x".repeat(3 << 20) + "\"").getBytes(StandardCharsets.UTF_8));
        // 100 KiB: parsed, cut to the line limit (16 KiB) on a character boundary, its size kept.
        out.writeBytes(entry(3, "\"" + "é".repeat(50 * 1024) + "\"").getBytes(StandardCharsets.UTF_8));
        // Invalid UTF-8 (0xff, a lone continuation byte): journalctl writes the field as bytes.
        out.writeBytes(entry(4, "[111,107,255,128,33]").getBytes(StandardCharsets.UTF_8));
        // Valid UTF-8 with a control character: binary for journalctl, but nothing invalid.
        out.writeBytes(entry(5, "[98,101,108,108,7]").getBytes(StandardCharsets.UTF_8));
        // Something on journalctl's output that is no entry at all (a message, a broken line).
        out.writeBytes("Failed to iterate through journal: Bad message\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("{\"__CURSOR\":\"s=ab;i=6\",\"MESSAGE\":\"cut off".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(entry(7, "\"after\"").getBytes(StandardCharsets.UTF_8));
        Path replay = dir.resolve("journal.json");
        Files.write(replay, out.toByteArray());
        Path script = dir.resolve("journalctl");
        // The arguments JournalSource adds (--follow, --output-fields, ...) are ignored; sleep stands for --follow.
        Files.writeString(script, "#!/bin/sh\ncat '" + replay + "'\nexec sleep 60\n");
        script.toFile().setExecutable(true);

        // Copy-on-write: the wait below streams the list while the journal thread adds to it.
        List<LogEntry> shipped = new CopyOnWriteArrayList<>();
        LogMetrics metrics = new LogMetrics(null);
        LogShipper shipper = new LogShipper((node, value) -> {
            shipped.add(EventCodec.decode(value, LogEntry.class));
            return CompletableFuture.completedFuture(null);
        }, LineFilter.of(List.of(), 7), new RateLimit(1_000_000, 1_000_000, System.nanoTime()), 8 << 20, metrics,
                System::nanoTime);
        JournalSource source = new JournalSource("bettley", List.of(script.toString()), 0, dir.resolve("journal.cursor"),
                16384, shipper, metrics);
        Thread thread = new Thread(source, "journal-bad-input");
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (shipped.stream().noneMatch(l -> "after".equals(l.message())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        source.stop();
        thread.join(5000);
        source.savePosition();

        assertEquals(List.of("before", "mark", "cut", "okay", "bell", "after"),
                shipped.stream().map(JournalBadInputTest::kind).toList(), "shipped: " + shipped.size());
        LogEntry mark = shipped.get(1);
        assertTrue(mark.message().contains("was not shipped") && mark.truncated() > (3 << 20), mark.message());
        assertEquals(4, mark.priority());
        LogEntry cut = shipped.get(2);
        assertEquals(100 * 1024 + 0L, cut.truncated());
        assertTrue(Text.utf8Length(cut.message()) <= 16384 && cut.message().chars().allMatch(c -> c == 'é'),
                "cut on a character boundary");
        assertEquals("ok\uFFFD\uFFFD!", shipped.get(3).message());
        assertEquals(Boolean.TRUE, shipped.get(3).binary());
        assertEquals("bell\u0007", shipped.get(4).message());
        assertNull(shipped.get(0).binary());

        assertEquals(1, metrics.anomalies("oversized-entry"));
        assertEquals(1, metrics.anomalies("truncated"));
        assertEquals(1, metrics.anomalies("invalid-utf8"));
        assertEquals(2, metrics.anomalies("binary"));
        assertEquals(2, metrics.anomalies("not-an-entry"));
        assertEquals(6, metrics.lines("shipped"));
        // Everything read was acknowledged: the saved position is the last entry's, and the mark that one was saved.
        assertTrue(Files.readString(dir.resolve("journal.cursor")).startsWith("s=ab;i=7;"));
        assertTrue(Files.exists(JournalSource.shippedMark(dir.resolve("journal.cursor"))));
    }

    private static String kind(LogEntry line) {
        String m = line.message();
        if (m.startsWith("[goldentooth:")) {
            return "mark";
        }
        if (m.startsWith("é")) {
            return "cut";
        }
        if (m.startsWith("ok")) {
            return "okay";
        }
        if (m.startsWith("bell")) {
            return "bell";
        }
        return m;
    }

    @Test
    void aDeletedCursorIsCountedAndTheStartIsTheLastLines() throws Exception {
        Path cursor = dir.resolve("journal.cursor");
        LogMetrics metrics = new LogMetrics(null);
        LogShipper shipper = new LogShipper((node, value) -> CompletableFuture.completedFuture(null),
                LineFilter.of(List.of(), 7), new RateLimit(1000, 1000, System.nanoTime()), 1 << 20, metrics, System::nanoTime);
        // A first start: no cursor and nothing shipped before, so nothing is missing.
        JournalSource first = new JournalSource("bettley", List.of("journalctl"), 1000, cursor, 16384, shipper, metrics);
        assertEquals(0, metrics.anomalies("cursor-missing"));
        assertTrue(first.command(null, false).contains("--lines=1000"));
        // A cursor saved once, then the file deleted: counted, and the start is the last lines again.
        Files.writeString(JournalSource.shippedMark(cursor), "");
        JournalSource second = new JournalSource("bettley", List.of("journalctl"), 1000, cursor, 16384, shipper, metrics);
        assertEquals(1, metrics.anomalies("cursor-missing"));
        assertTrue(second.command(null, false).contains("--lines=1000"));
        // An emptied cursor file is the same.
        Files.writeString(cursor, "\n");
        new JournalSource("bettley", List.of("journalctl"), 1000, cursor, 16384, shipper, metrics);
        assertEquals(2, metrics.anomalies("cursor-missing"));
    }
}
