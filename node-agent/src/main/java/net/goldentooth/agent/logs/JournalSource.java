package net.goldentooth.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.logs.LogEntry;
import org.jboss.logging.Logger;

/**
 * Follows the journal through {@code journalctl --follow --output=json --all}, from the saved cursor
 * ({@code --after-cursor}) or, on the first start, from the last {@code initialLines} lines. The
 * cursor of the newest line the broker acknowledged (with all before it) is saved to
 * {@code cursorFile}; a restart continues after it, so nothing acknowledged is sent again and
 * nothing unacknowledged is lost.
 *
 * <p>When journalctl ends (killed, the journal vacuumed away under it, a cursor it refuses) it is
 * started again after what was last read, with a backoff. A cursor journalctl cannot seek to is
 * counted ({@code cursor-reset}) and replaced by the cursor's own time ({@code --since=@<seconds>}),
 * so lines written since are still shipped. A resumed journal whose first sequence number skips
 * ahead of the cursor's lost lines to rotation or vacuuming while the agent was away: counted as
 * {@code journal-gap} with the number of lines. A cursor file gone after a cursor was saved once
 * (a mark beside it says so) is counted as {@code cursor-missing}, and the start is the last lines.
 */
final class JournalSource implements Runnable {

    private static final Logger LOG = Logger.getLogger(JournalSource.class);
    /** A journalctl line (one entry as JSON) longer than this is not parsed: counted, and a mark is shipped. */
    static final int MAX_ENTRY_BYTES = 1 << 20;
    /**
     * The fields {@link JournalJson} keeps; journalctl adds the cursor, both timestamps and the boot
     * id to every JSON entry by itself. Asking for these only (an entry of a syslog line has about
     * twenty fields) roughly halves what journalctl formats and the agent reads.
     */
    static final String OUTPUT_FIELDS = "MESSAGE,PRIORITY,_SYSTEMD_UNIT,_SYSTEMD_USER_UNIT,SYSLOG_IDENTIFIER,_PID";
    private static final Pattern SEQNUM = Pattern.compile("(?:^|;)s=([0-9a-f]+);i=([0-9a-f]+)");
    private static final Pattern REALTIME = Pattern.compile("(?:^|;)t=([0-9a-f]+)");

    private final String node;
    private final List<String> journalctl;
    private final int initialLines;
    private final Path cursorFile;
    private final int maxLineBytes;
    private final LogShipper shipper;
    private final LogMetrics metrics;
    private final AckOrder<String> acks;
    private volatile boolean running = true;
    private volatile Process process;
    /** The cursor of the newest line read (not necessarily acknowledged): where a restarted journalctl continues. */
    private String readCursor;
    private boolean checkGap;

    JournalSource(String node, List<String> journalctl, int initialLines, Path cursorFile, int maxLineBytes,
                  LogShipper shipper, LogMetrics metrics) throws IOException {
        this.node = node;
        this.journalctl = List.copyOf(journalctl);
        this.initialLines = initialLines;
        this.cursorFile = cursorFile;
        this.maxLineBytes = maxLineBytes;
        this.shipper = shipper;
        this.metrics = metrics;
        String saved = Files.exists(cursorFile) ? Files.readString(cursorFile).trim() : "";
        this.readCursor = saved.isEmpty() ? null : saved;
        if (readCursor == null && Files.exists(shippedMark(cursorFile))) {
            // This node's journal was shipped before, yet its cursor is gone (deleted, or an empty file).
            metrics.anomaly("cursor-missing");
            LOG.warnf("the saved journal cursor %s is missing although this journal was shipped before; starting "
                    + "from the last %d lines: lines written before them may be missing on the bus, up to %d may "
                    + "be sent twice", cursorFile, initialLines, initialLines);
        }
        this.checkGap = readCursor != null;
        this.acks = new AckOrder<>(readCursor);
    }

    /** The command a start runs: after {@code cursor}, or since its time, or the last lines. */
    List<String> command(String cursor, boolean cursorRefused) {
        List<String> command = new ArrayList<>(journalctl);
        command.addAll(List.of("--follow", "--output=json", "--output-fields=" + OUTPUT_FIELDS, "--all", "--no-pager",
                "--quiet"));
        if (cursor != null && !cursorRefused) {
            command.add("--after-cursor=" + cursor);
        } else if (cursor != null && realtimeSeconds(cursor) >= 0) {
            command.add("--since=@" + realtimeSeconds(cursor));
        } else {
            command.add("--lines=" + initialLines);
        }
        return command;
    }

    @Override
    public void run() {
        long backoffMs = 500;
        boolean cursorRefused = false;
        while (running) {
            List<String> command = command(readCursor, cursorRefused);
            cursorRefused = false;
            long started = System.nanoTime();
            int linesRead;
            StringBuilder stderr = new StringBuilder();
            int exit;
            try {
                Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                process = p;
                Thread errors = new Thread(() -> collect(p.getErrorStream(), stderr), "journalctl-stderr");
                errors.setDaemon(true);
                errors.start();
                linesRead = read(p.getInputStream());
                exit = p.waitFor();
                errors.join(1000);
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                LOG.errorf("cannot run %s: %s; the journal is not shipped until it can", command.get(0), e.getMessage());
                metrics.anomaly("journalctl-exit");
                sleep(30_000);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!running) {
                return;
            }
            metrics.anomaly("journalctl-exit");
            String why = stderr.toString().trim();
            if (linesRead == 0 && readCursor != null && why.toLowerCase().contains("cursor")) {
                metrics.anomaly("cursor-reset");
                LOG.warnf("journalctl refused the saved cursor (%s); continuing from the cursor's time", why);
                cursorRefused = true;
                continue;
            }
            LOG.warnf("journalctl ended (exit %d, %d lines read)%s; starting it again", exit, linesRead,
                    why.isEmpty() ? "" : ": " + why);
            backoffMs = System.nanoTime() - started > 60_000_000_000L ? 500 : Math.min(backoffMs * 2, 30_000);
            sleep(backoffMs);
        }
    }

    /** Reads journalctl's output to its end; returns the lines read. */
    private int read(InputStream in) throws IOException, InterruptedException {
        LineReader lines = new LineReader(in, MAX_ENTRY_BYTES);
        int count = 0;
        while (running && lines.next()) {
            count++;
            if (lines.oversized()) {
                metrics.anomaly("oversized-entry");
                // The entry's cursor is in the part not kept: the mark rides on the last cursor read.
                String cursor = readCursor;
                long ticket = acks.add(cursor);
                shipper.ship(new LogEntry(node, LogEntry.JOURNAL, null, null, 4,
                        "[goldentooth: a journal entry of " + lines.length() + " bytes, over the agent's "
                                + MAX_ENTRY_BYTES + "-byte limit, was not shipped]",
                        java.time.Instant.now(), null, null, null, cursor, lines.length(), null), () -> acks.done(ticket));
                continue;
            }
            JournalJson.ParsedLine line;
            try {
                line = JournalJson.parse(lines.buffer(), (int) lines.length());
            } catch (JournalJson.NotAnEntry e) {
                metrics.anomaly("not-an-entry");
                LOG.warnf("journalctl wrote a line that is not an entry (%s); skipped", e.getMessage());
                continue;
            }
            if (checkGap) {
                checkGap = false;
                long lost = gap(readCursor, line.cursor());
                if (lost > 0) {
                    metrics.anomaly("journal-gap", lost);
                    LOG.warnf("%d journal lines were rotated or vacuumed away before they could be shipped", lost);
                }
            }
            readCursor = line.cursor();
            if (line.binary()) {
                metrics.anomaly("binary");
            }
            if (line.invalidUtf8()) {
                metrics.anomaly("invalid-utf8");
            }
            String message = line.message();
            Long truncated = null;
            if (message.length() > maxLineBytes / 4) {
                int bytes = Text.utf8Length(message);
                if (bytes > maxLineBytes) {
                    message = Text.cut(message, maxLineBytes);
                    truncated = (long) bytes;
                    metrics.anomaly("truncated");
                }
            }
            long ticket = acks.add(line.cursor());
            shipper.ship(new LogEntry(node, LogEntry.JOURNAL, line.unit(), line.identifier(), line.priority(), message,
                    line.time(), line.monotonicUs(), line.bootId(), line.pid(), line.cursor(), truncated,
                    line.binary() ? Boolean.TRUE : null), () -> acks.done(ticket));
        }
        return count;
    }

    /** Lines between two cursors of the same journal sequence that the second skips; 0 when unknown. */
    static long gap(String before, String after) {
        if (before == null || after == null) {
            return 0;
        }
        Matcher a = SEQNUM.matcher(before);
        Matcher b = SEQNUM.matcher(after);
        if (!a.find() || !b.find() || !a.group(1).equals(b.group(1))) {
            return 0;
        }
        long lost = Long.parseUnsignedLong(b.group(2), 16) - Long.parseUnsignedLong(a.group(2), 16) - 1;
        return Math.max(0, lost);
    }

    /** The cursor's realtime in whole seconds (its {@code t=} field, microseconds in hex); -1 without one. */
    static long realtimeSeconds(String cursor) {
        Matcher m = REALTIME.matcher(cursor);
        if (!m.find()) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(m.group(1), 16) / 1_000_000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Beside the cursor file once a cursor was saved: a later start without a cursor is then a lost cursor, not a first start. */
    static Path shippedMark(Path cursorFile) {
        return cursorFile.resolveSibling(cursorFile.getFileName() + ".shipped");
    }

    /** Writes the acknowledged cursor if it moved. */
    void savePosition() throws IOException {
        String cursor = acks.takeChanged();
        if (cursor != null) {
            Path mark = shippedMark(cursorFile);
            if (!Files.exists(mark)) {
                Files.writeString(mark, "");
            }
            Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
            Files.writeString(tmp, cursor + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    String acknowledgedCursor() {
        return acks.committed();
    }

    void stop() {
        running = false;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    private static void collect(InputStream in, StringBuilder into) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (into) {
                    if (into.length() < 4096) {
                        into.append(new String(buffer, 0, Math.min(n, 4096 - into.length()), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone; what was read is the reason
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
