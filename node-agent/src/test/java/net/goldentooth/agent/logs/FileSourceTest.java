package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source on real files: rotation, truncation, huge lines, bad bytes, and positions across a restart. */
class FileSourceTest {

    @TempDir
    Path dir;

    private final List<LogEntry> shipped = new ArrayList<>();
    private final List<CompletableFuture<Object>> pending = new ArrayList<>();
    private boolean acknowledge = true;
    private LogMetrics metrics;
    private LogShipper shipper;

    @BeforeEach
    void shipper() {
        metrics = new LogMetrics(null);
        shipper = new LogShipper((node, value) -> {
            shipped.add(EventCodec.decode(value, LogEntry.class));
            CompletableFuture<Object> f = new CompletableFuture<>();
            if (acknowledge) {
                f.complete(null);
            } else {
                pending.add(f);
            }
            return f;
        }, LineFilter.of(Set.of(), 7), new RateLimit(1_000_000, 1_000_000, 0), 1 << 24, metrics, () -> 0);
    }

    private FileSource source(int maxLineBytes) throws IOException {
        return new FileSource("n1", List.of(dir.resolve("*.log").toString()), dir.resolve("positions"), maxLineBytes,
                shipper, metrics, Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC));
    }

    private void append(String file, String text) throws IOException {
        append(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private void append(String file, byte[] bytes) throws IOException {
        Files.write(dir.resolve(file), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> messages() {
        return shipped.stream().map(LogEntry::message).toList();
    }

    @Test
    void linesAreShippedWithTheFileAsUnitAndTheirLevelAsPriority() throws Exception {
        append("provisioner.log", "2026-12-07 03:00:00,001 INFO  [net.goldentooth] started\n"
                + "2026-12-07 03:00:01,002 ERROR [net.goldentooth] job j1 failed\r\nhalf a li");
        append("other.txt", "not matched\n");
        FileSource source = source(1024);
        source.poll();
        assertEquals(List.of("2026-12-07 03:00:00,001 INFO  [net.goldentooth] started",
                "2026-12-07 03:00:01,002 ERROR [net.goldentooth] job j1 failed"), messages());
        LogEntry error = shipped.get(1);
        assertEquals("provisioner", error.unit());
        assertEquals(3, error.priority());
        assertEquals(6, shipped.get(0).priority());
        assertEquals(Instant.parse("2026-12-07T03:00:00.001Z"), shipped.get(0).time(), "the line's own time");
        assertEquals(dir.resolve("provisioner.log").toString(), error.source());
        append("provisioner.log", "ne WARN done\n");
        source.poll();
        assertEquals("half a line WARN done", shipped.get(2).message(), "a partial line waits for its end");
        assertEquals(4, shipped.get(2).priority());
        assertEquals(Instant.parse("2026-12-07T03:00:00Z"), shipped.get(2).time(), "no time of its own: when it was read");
    }

    @Test
    void aRestartContinuesAfterTheLastAcknowledgedLineOnly() throws Exception {
        append("a.log", "one\ntwo\n");
        FileSource first = source(1024);
        first.poll();
        first.savePositions();
        acknowledge = false;
        append("a.log", "three\nfour\n");
        first.poll();
        pending.get(0).complete(null); // "three" acknowledged, "four" not
        first.savePositions();
        first.close();
        shipped.clear();
        acknowledge = true;
        FileSource second = source(1024);
        second.poll();
        assertEquals(List.of("four"), messages(), "acknowledged lines are not sent again, the rest is not lost");
    }

    @Test
    void aRotatedFileIsReadToItsEndThenTheNewOneFromItsStart() throws Exception {
        append("app.log", "before\n");
        FileSource source = source(1024);
        source.poll();
        append("app.log", "last of old, no newline");
        Files.move(dir.resolve("app.log"), dir.resolve("app.log.1"));
        append("app.log", "first of new\n");
        source.poll();
        assertEquals(List.of("before", "last of old, no newline", "first of new"), messages());
        assertEquals(1, metrics.anomalies("file-rotated"));
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStart() throws Exception {
        append("app.log", "a long first line\nsecond\n");
        FileSource source = source(1024);
        source.poll();
        Files.write(dir.resolve("app.log"), "new\n".getBytes(StandardCharsets.UTF_8));
        source.poll();
        assertEquals(List.of("a long first line", "second", "new"), messages());
        assertEquals(1, metrics.anomalies("file-truncated"));
    }

    @Test
    void aHugeLineIsCutAndMarkedAndTheNextLineIsWhole() throws Exception {
        byte[] huge = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'z');
        append("big.log", huge);
        append("big.log", "\nafter\n");
        source(512).poll();
        assertEquals(2, shipped.size());
        assertEquals(512, shipped.get(0).message().length());
        assertEquals(huge.length, shipped.get(0).truncated());
        assertEquals("after", shipped.get(1).message());
        assertNull(shipped.get(1).truncated());
        assertEquals(1, metrics.anomalies("truncated"));
    }

    @Test
    void invalidUtf8IsReplacedAndCounted() throws Exception {
        append("bin.log", new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'});
        source(1024).poll();
        assertEquals("ok\uFFFD\uFFFD x", shipped.get(0).message());
        assertEquals(1, metrics.anomalies("invalid-utf8"));
        assertTrue(shipped.get(0).cursor().endsWith(":7"), shipped.get(0).cursor());
    }

    @Test
    void aLinesLeadingTimeIsItsTimeUnlessItIsInTheFuture() {
        Instant read = Instant.parse("2026-12-07T03:00:00Z");
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        assertEquals(Instant.parse("2026-12-07T02:59:58.123Z"),
                FileSource.time("2026-12-07 03:59:58,123 INFO x", read, berlin), "local time in the agent's zone");
        assertEquals(Instant.parse("2026-12-07T02:30:00.5Z"),
                FileSource.time("2026-12-07T04:30:00.5+02:00 y", read, berlin));
        assertEquals(Instant.parse("2026-12-07T02:00:00Z"), FileSource.time("2026-12-07T02:00:00Z z", read, berlin));
        assertEquals(read, FileSource.time("2026-12-07 05:00:00,000 from the future", read, berlin));
        assertEquals(read, FileSource.time("2026-13-45 25:00:00 nonsense", read, berlin));
        assertEquals(read, FileSource.time("no time here", read, berlin));
    }
}
