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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.SignedTask;

/**
 * Every task this agent has received, and whether it has started or finished, on disk, so that a
 * restarted agent never runs a task twice (a replayed record, or a redelivery after a crash before
 * the offset commit), yet still runs a task it had received but not started when it died.
 *
 * <p>One line per step, appended: {@code <expiresAt epoch ms> <url-encoded task id> <state>}, where
 * state is {@code R} (received; the line also carries the url-encoded record key and the base64
 * JSON of the signed task, so it can be run after a restart), {@code S} (started) or {@code F}
 * (finished). The newest line of an id wins. {@code R} lines are fsync'ed once per consumer batch
 * before the tasks are reported ACCEPTED; an {@code S} line is fsync'ed before the command starts
 * (concurrent starts share one fsync), so a task that may have run is never resumed; {@code F}
 * lines are not synced (losing one only keeps the task at {@code S}, which is never resumed
 * either). Lines of the first format, {@code <expiresAt> <id>}, read as started. An id is kept until
 * a day after the task expired: after that the admission's expiry check refuses it anyway. Old
 * lines are dropped and each id is reduced to one line when the ledger is opened.
 */
public final class TaskLedger implements AutoCloseable {

    /** How long after a task's expiry its id is still remembered. */
    public static final Duration RETENTION_AFTER_EXPIRY = Duration.ofDays(1);

    static final String FILE_NAME = "task-ledger.log";
    private static final int PRUNE_EVERY = 1000;

    /** Where a task is in its life on this agent; the order is the order of the steps. */
    public enum State { RECEIVED, STARTED, FINISHED }

    /** A task received but not started when the agent stopped: what is needed to admit and run it again. */
    public record Pending(String recordKey, SignedTask signed) {
    }

    private record Entry(Instant expiresAt, State state, Pending pending) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Object syncLock = new Object();
    private FileChannel channel;
    private int appendsSincePrune;
    /** Lines appended so far and lines known to be on disk; guarded by this and by syncLock. */
    private long written;
    private long synced;

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
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // A last line without its newline was torn by a crash mid-write; its fsync never
            // completed, so nothing was reported or run on its strength.
            int end = text.lastIndexOf('\n') + 1;
            for (String line : text.substring(0, end).split("\n")) {
                parse(line, now);
            }
        }
        Path compacted = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(compacted, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            entries.forEach((id, entry) -> text.append(line(id, entry)));
            write(out, text.toString());
            out.force(true);
        }
        Files.move(compacted, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void parse(String line, Instant now) {
        String[] fields = line.split(" ");
        if (fields.length < 2) {
            return;
        }
        try {
            Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(fields[0]));
            String taskId = URLDecoder.decode(fields[1], StandardCharsets.UTF_8);
            Entry entry;
            if (fields.length == 2) {
                entry = new Entry(expiresAt, State.STARTED, null);
            } else if ("R".equals(fields[2]) && fields.length == 5) {
                SignedTask signed = EventCodec.decode(Base64.getDecoder().decode(fields[4]), SignedTask.class);
                entry = new Entry(expiresAt, State.RECEIVED,
                        new Pending(URLDecoder.decode(fields[3], StandardCharsets.UTF_8), signed));
            } else if ("S".equals(fields[2])) {
                entry = new Entry(expiresAt, State.STARTED, null);
            } else if ("F".equals(fields[2])) {
                entry = new Entry(expiresAt, State.FINISHED, null);
            } else {
                return;
            }
            if (!keep(expiresAt, now)) {
                entries.remove(taskId);
                return;
            }
            Entry before = entries.get(taskId);
            if (before == null || entry.state().compareTo(before.state()) >= 0) {
                entries.put(taskId, entry);
            }
        } catch (RuntimeException unreadable) {
            // A line this agent did not write whole; its task never got past the step before it.
        }
    }

    /** Whether the task id was received by this agent (in any state): a live delivery of it is a replay. */
    public synchronized boolean contains(String taskId) {
        return entries.containsKey(taskId);
    }

    /** Whether the task may have run: started or finished. Such a task is never run again. */
    public synchronized boolean started(String taskId) {
        Entry entry = entries.get(taskId);
        return entry != null && entry.state() != State.RECEIVED;
    }

    /**
     * Appends a received task with what is needed to run it after a restart; {@link #sync()} must
     * follow before it is reported or queued. Returns false (and writes nothing) when the id was
     * already recorded, so two deliveries of one id cannot both run.
     */
    public synchronized boolean record(String taskId, Instant expiresAt, Pending pending) {
        if (entries.containsKey(taskId)) {
            return false;
        }
        append(taskId, new Entry(expiresAt, State.RECEIVED, pending));
        if (++appendsSincePrune >= PRUNE_EVERY) {
            Instant now = clock.instant();
            entries.values().removeIf(entry -> !keep(entry.expiresAt(), now));
            appendsSincePrune = 0;
        }
        return true;
    }

    /**
     * Records that the task is about to start and forces that to disk before returning: from here on
     * a restart never runs it again. Concurrent callers share one fsync.
     */
    public void markStarted(String taskId) {
        long line;
        synchronized (this) {
            line = advance(taskId, State.STARTED);
        }
        syncUpTo(line);
    }

    /** Records that the task finished (not synced: a lost line leaves it started, never resumed). */
    public synchronized void markFinished(String taskId) {
        advance(taskId, State.FINISHED);
    }

    private long advance(String taskId, State state) {
        Entry entry = entries.get(taskId);
        if (entry == null) {
            throw new IllegalStateException("task " + taskId + " is not in the ledger");
        }
        append(taskId, new Entry(entry.expiresAt(), state, null));
        return written;
    }

    private void append(String taskId, Entry entry) {
        try {
            write(channel, line(taskId, entry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the task ledger " + file, e);
        }
        entries.put(taskId, entry);
        written++;
    }

    /** The tasks received but never started, oldest first: what a restarted agent still owes. */
    public synchronized List<Pending> pending() {
        List<Pending> pending = new ArrayList<>();
        entries.values().stream().filter(e -> e.state() == State.RECEIVED).forEach(e -> pending.add(e.pending()));
        return pending;
    }

    /**
     * Forces every recorded line to disk. One fsync covers a whole batch of tasks: at 10,000
     * simulated nodes an fsync per task would hold the consumer for tens of seconds on an SD card.
     */
    public void sync() {
        long line;
        synchronized (this) {
            line = written;
        }
        syncUpTo(line);
    }

    /** Group commit: whoever holds the sync lock forces everything written so far, for every waiter. */
    private void syncUpTo(long line) {
        synchronized (syncLock) {
            if (synced >= line) {
                return;
            }
            long target;
            synchronized (this) {
                target = written;
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the task ledger " + file, e);
            }
            synced = target;
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

    private static String line(String taskId, Entry entry) {
        String head = entry.expiresAt().toEpochMilli() + " " + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
        return switch (entry.state()) {
            case RECEIVED -> head + " R " + URLEncoder.encode(entry.pending().recordKey(), StandardCharsets.UTF_8)
                    + " " + Base64.getEncoder().encodeToString(EventCodec.encode(entry.pending().signed())) + "\n";
            case STARTED -> head + " S\n";
            case FINISHED -> head + " F\n";
        };
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
