package net.goldentooth.agent.tasks.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of every task this agent has started, on disk, so that a restarted agent never runs a
 * task twice (a replayed record, or a redelivery after a crash before the offset commit). One line
 * per task, {@code <expiresAt epoch ms> <url-encoded task id>}, appended and fsync'ed before the
 * task may start (the caller syncs once per batch of records). An id is kept until a day after the task expired: after that the admission's
 * expiry check refuses it anyway. Expired lines are dropped when the ledger is opened.
 */
public final class TaskLedger implements AutoCloseable {

    /** How long after a task's expiry its id is still remembered. */
    public static final Duration RETENTION_AFTER_EXPIRY = Duration.ofDays(1);

    static final String FILE_NAME = "task-ledger.log";
    private static final int PRUNE_EVERY = 1000;

    private final Path file;
    private final Clock clock;
    private final Map<String, Instant> entries = new HashMap<>();
    private FileChannel channel;
    private int appendsSincePrune;

    private TaskLedger(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Loads the ledger in {@code stateDir} (creating it if absent) and compacts it.
     *
     * @throws IOException when the directory or file cannot be written: the agent must not start
     *                     without a ledger, or it could run a replayed task
     */
    public static TaskLedger open(Path stateDir, Clock clock) throws IOException {
        Files.createDirectories(stateDir);
        TaskLedger ledger = new TaskLedger(stateDir.resolve(FILE_NAME), clock);
        ledger.load();
        return ledger;
    }

    private void load() throws IOException {
        Instant now = clock.instant();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    // A torn last line from a crash mid-write: its task never started (the fsync came first).
                    continue;
                }
                try {
                    Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(line.substring(0, space)));
                    String taskId = URLDecoder.decode(line.substring(space + 1), StandardCharsets.UTF_8);
                    if (keep(expiresAt, now)) {
                        entries.put(taskId, expiresAt);
                    }
                } catch (IllegalArgumentException torn) {
                    // same as above: a partial line
                }
            }
        }
        Path compacted = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(compacted, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            entries.forEach((id, expiry) -> text.append(line(id, expiry)));
            write(out, text.toString());
            out.force(true);
        }
        Files.move(compacted, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    public synchronized boolean contains(String taskId) {
        return entries.containsKey(taskId);
    }

    /**
     * Appends a task id; {@link #sync()} must follow before the task may start. Returns false (and
     * writes nothing) when it was already recorded, so two deliveries of one id cannot both run.
     */
    public synchronized boolean record(String taskId, Instant expiresAt) {
        if (entries.containsKey(taskId)) {
            return false;
        }
        try {
            write(channel, line(taskId, expiresAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the task ledger " + file, e);
        }
        entries.put(taskId, expiresAt);
        if (++appendsSincePrune >= PRUNE_EVERY) {
            Instant now = clock.instant();
            entries.values().removeIf(expiry -> !keep(expiry, now));
            appendsSincePrune = 0;
        }
        return true;
    }

    /**
     * Forces every recorded id to disk. One fsync covers a whole batch of tasks: at 10,000 simulated
     * nodes an fsync per task would hold the consumer for tens of seconds on an SD card.
     */
    public synchronized void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the task ledger " + file, e);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public Path file() {
        return file;
    }

    private static boolean keep(Instant expiresAt, Instant now) {
        return now.isBefore(expiresAt.plus(RETENTION_AFTER_EXPIRY));
    }

    private static String line(String taskId, Instant expiresAt) {
        return expiresAt.toEpochMilli() + " " + URLEncoder.encode(taskId, StandardCharsets.UTF_8) + "\n";
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
