package net.goldentooth.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.logs.LogEntry;
import org.jboss.logging.Logger;

/**
 * Tails log files matched by globs ({@code /dir/*.log}: the glob is in the file name, the directory
 * is literal). A file is followed by its inode: when the path names another inode it was rotated,
 * and the old file is read to its end before the new one is read from its start; a file shorter
 * than what was read was truncated (copytruncate) and is read again from its start. Both are
 * counted. Each file's position is {@code <inode> <offset>} of the end of its newest line
 * acknowledged (with all before it), saved in {@code positionsFile}; a restart continues there when
 * the path still names that inode. A line without its newline yet waits for the rest, except at
 * the end of a rotated file.
 */
final class FileSource {

    private static final Logger LOG = Logger.getLogger(FileSource.class);
    /** A leading date and time, as Quarkus, log4j and ISO-8601 write them: {@code 2026-12-07 03:00:01,123} or {@code 2026-12-07T03:00:01.123Z}. */
    private static final Pattern LEADING_TIME = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})(?:[,.](\\d{1,9}))?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern LEVEL = Pattern.compile(
            "\\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL)\\b");

    private final String node;
    private final List<String> globs;
    private final Path positionsFile;
    private final int maxLineBytes;
    private final LogShipper shipper;
    private final LogMetrics metrics;
    private final Clock clock;
    private final Map<Path, Tracked> files = new LinkedHashMap<>();
    private final Map<Path, long[]> saved = new HashMap<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private final Set<String> unreadable = new HashSet<>();

    /** One followed file: its inode, the channel, the read offset and the line being assembled. */
    private final class Tracked {
        final Path path;
        final long inode;
        final FileChannel channel;
        final String unit;
        final AckOrder<Long> acks;
        long readOffset;
        byte[] partial = new byte[256];
        int partialKept;
        long partialLength;

        Tracked(Path path, long inode, FileChannel channel, long offset) {
            this.path = path;
            this.inode = inode;
            this.channel = channel;
            this.readOffset = offset;
            this.acks = new AckOrder<>(offset);
            String name = path.getFileName().toString();
            this.unit = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        }
    }

    FileSource(String node, List<String> globs, Path positionsFile, int maxLineBytes, LogShipper shipper,
               LogMetrics metrics, Clock clock) throws IOException {
        this.node = node;
        this.globs = List.copyOf(globs);
        this.positionsFile = positionsFile;
        this.maxLineBytes = maxLineBytes;
        this.shipper = shipper;
        this.metrics = metrics;
        this.clock = clock;
        for (String glob : globs) {
            Path dir = Path.of(glob).getParent();
            if (dir == null || dir.toString().contains("*") || dir.toString().contains("?")) {
                throw new IllegalArgumentException("goldentooth.agent.logs.files: '" + glob
                        + "' must be an absolute path whose glob is in the file name, e.g. /var/log/app/*.log");
            }
        }
        if (Files.exists(positionsFile)) {
            for (String line : Files.readAllLines(positionsFile)) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3) {
                    try {
                        saved.put(Path.of(parts[2]), new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
                    } catch (NumberFormatException e) {
                        LOG.warnf("%s: ignoring the line '%s'", positionsFile, line);
                    }
                }
            }
        }
    }

    /** Matches the globs again and reads what the files gained. Called by the shipper's file thread. */
    void poll() throws InterruptedException {
        Set<Path> present = new HashSet<>();
        for (String glob : globs) {
            Path pattern = Path.of(glob);
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(pattern.getParent(),
                    pattern.getFileName().toString())) {
                for (Path path : matches) {
                    if (Files.isRegularFile(path)) {
                        present.add(path);
                    }
                }
            } catch (NoSuchFileException e) {
                // the directory may come later
            } catch (IOException e) {
                if (unreadable.add(glob)) {
                    LOG.warnf("cannot list %s: %s", glob, e.getMessage());
                }
            }
        }
        for (Path path : present) {
            try {
                follow(path);
            } catch (IOException e) {
                if (unreadable.add(path.toString())) {
                    LOG.warnf("cannot read %s: %s", path, e.getMessage());
                }
            }
        }
        for (Tracked gone : new ArrayList<>(files.values())) {
            if (!present.contains(gone.path)) {
                drainAndClose(gone);
                files.remove(gone.path);
            }
        }
    }

    private void follow(Path path) throws IOException, InterruptedException {
        long inode = inode(path);
        Tracked tracked = files.get(path);
        if (tracked != null && tracked.inode != inode) {
            metrics.anomaly("file-rotated");
            drainAndClose(tracked);
            tracked = null;
            files.remove(path);
        }
        if (tracked == null) {
            long[] position = saved.remove(path);
            long offset = position != null && position[0] == inode ? position[1] : 0;
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            if (offset > channel.size()) {
                offset = 0;
            }
            tracked = new Tracked(path, inode, channel, offset);
            files.put(path, tracked);
            unreadable.remove(path.toString());
        }
        if (tracked.channel.size() < tracked.readOffset) {
            metrics.anomaly("file-truncated");
            LOG.infof("%s was truncated; reading it again from its start", path);
            tracked.readOffset = 0;
            tracked.partialKept = 0;
            tracked.partialLength = 0;
        }
        read(tracked, false);
    }

    private void drainAndClose(Tracked tracked) throws InterruptedException {
        try {
            read(tracked, true);
        } catch (IOException e) {
            LOG.warnf("cannot read the rest of %s: %s", tracked.path, e.getMessage());
        }
        try {
            tracked.channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel
        }
    }

    /** Reads from the read offset to the end; {@code last}: the file will not grow, so a partial line is a line. */
    private void read(Tracked t, boolean last) throws IOException, InterruptedException {
        while (true) {
            chunk.clear();
            int n = t.channel.read(chunk, t.readOffset);
            if (n <= 0) {
                break;
            }
            byte[] bytes = chunk.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    keep(t, bytes, start, i - start);
                    emit(t, t.readOffset + i + 1);
                    start = i + 1;
                }
            }
            keep(t, bytes, start, n - start);
            t.readOffset += n;
        }
        if (last && t.partialLength > 0) {
            emit(t, t.readOffset);
        }
    }

    private void keep(Tracked t, byte[] bytes, int from, int n) {
        t.partialLength += n;
        int room = Math.min(n, maxLineBytes - t.partialKept);
        if (room <= 0) {
            return;
        }
        if (t.partialKept + room > t.partial.length) {
            t.partial = java.util.Arrays.copyOf(t.partial, Math.min(maxLineBytes, Math.max(t.partialKept + room,
                    t.partial.length * 2)));
        }
        System.arraycopy(bytes, from, t.partial, t.partialKept, room);
        t.partialKept += room;
    }

    private void emit(Tracked t, long endOffset) throws InterruptedException {
        int kept = t.partialKept;
        if (kept > 0 && t.partial[kept - 1] == '\r') {
            kept--;
        }
        Text.Decoded text = Text.utf8(t.partial, 0, kept);
        String message = text.text();
        Long truncated = null;
        if (t.partialLength > maxLineBytes) {
            truncated = t.partialLength;
            metrics.anomaly("truncated");
            // A cut inside a character decodes to U+FFFD; that is the cut, not bad input.
            message = Text.cut(message, maxLineBytes);
        } else if (text.invalid()) {
            metrics.anomaly("invalid-utf8");
        }
        t.partialKept = 0;
        t.partialLength = 0;
        if (t.partial.length > 64 * 1024) {
            t.partial = new byte[256];
        }
        long ticket = t.acks.add(endOffset);
        Instant read = clock.instant();
        shipper.ship(new LogEntry(node, t.path.toString(), t.unit, t.unit, priority(message), message,
                time(message, read, clock.getZone()), null, null, null, t.inode + ":" + endOffset, truncated, null),
                () -> t.acks.done(ticket));
    }

    /**
     * When a file line was written: its leading timestamp (in {@code zone}, the agent's, unless the line
     * gives an offset), or {@code read} when it has none or claims a time after it (a wrong zone or a
     * garbled line must not put a line in the future).
     */
    static Instant time(String message, Instant read, java.time.ZoneId zone) {
        Matcher m = LEADING_TIME.matcher(message);
        if (!m.lookingAt()) {
            return read;
        }
        try {
            String fraction = m.group(3) == null ? "0" : m.group(3);
            java.time.LocalDateTime local = java.time.LocalDateTime.parse(m.group(1) + "T" + m.group(2))
                    .plusNanos(Long.parseLong((fraction + "000000000").substring(0, 9)));
            String offset = m.group(4);
            Instant at = offset == null ? local.atZone(zone).toInstant()
                    : local.atOffset(offset.equals("Z") ? java.time.ZoneOffset.UTC
                            : java.time.ZoneOffset.of(offset.length() == 5 ? offset.substring(0, 3) + ":" + offset.substring(3) : offset))
                    .toInstant();
            return at.isAfter(read.plusSeconds(60)) ? read : at;
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return read;
        }
    }

    /** A file line's priority from its first level word (a Quarkus or log4j line has one early), info without. */
    static int priority(String message) {
        Matcher m = LEVEL.matcher(message.length() > 120 ? message.substring(0, 120) : message);
        if (!m.find()) {
            return 6;
        }
        return switch (m.group(1)) {
            case "TRACE", "DEBUG" -> 7;
            case "NOTICE" -> 5;
            case "WARN", "WARNING" -> 4;
            case "ERROR", "SEVERE" -> 3;
            case "FATAL", "CRITICAL" -> 2;
            default -> 6;
        };
    }

    /** Writes each followed file's acknowledged {@code <inode> <offset> <path>} if any moved. */
    void savePositions() throws IOException {
        boolean changed = false;
        StringBuilder out = new StringBuilder();
        for (Tracked t : files.values()) {
            changed |= t.acks.takeChanged() != null;
            out.append(t.inode).append(' ').append(t.acks.committed()).append(' ').append(t.path).append('\n');
        }
        if (!changed) {
            return;
        }
        Path tmp = positionsFile.resolveSibling(positionsFile.getFileName() + ".tmp");
        Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, positionsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void close() {
        for (Tracked t : files.values()) {
            try {
                t.channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }
}
