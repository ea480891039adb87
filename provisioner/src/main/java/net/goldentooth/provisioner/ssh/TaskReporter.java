package net.goldentooth.provisioner.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;

/**
 * Reports one task run over SSH exactly as an agent would on {@code job.progress}: consecutive
 * {@code seq} numbers from 0, output capped at the task's limit, one terminal record. Publications
 * are serialised, so records reach the topic in seq order even when stdout and stderr are read by
 * different threads.
 */
public final class TaskReporter {

    /** Where progress goes: {@code job.progress}, keyed by job id. */
    @FunctionalInterface
    public interface Sink {
        void publish(JobProgress progress);
    }

    private final Task task;
    private final Sink sink;
    private final Clock clock;
    private final Instant startedAt;
    private long nextSeq;
    private long outputBytes;
    private boolean truncated;
    private boolean ended;

    public TaskReporter(Task task, Sink sink, Clock clock) {
        this.task = task;
        this.sink = sink;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public Task task() {
        return task;
    }

    public synchronized void accepted() {
        send(ProgressKind.ACCEPTED);
    }

    public synchronized void started() {
        send(ProgressKind.STARTED);
    }

    /** A chunk of output; what goes past the task's output cap is dropped and the result marked truncated. */
    public synchronized void output(String stream, String data) {
        // Once something was cut, later chunks are dropped too: what is kept is a prefix of the output.
        if (ended || truncated || data.isEmpty()) {
            return;
        }
        int cap = task.spec().maxOutputBytes();
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        long room = cap - outputBytes;
        String kept = data;
        if (bytes.length > room) {
            truncated = true;
            if (room <= 0) {
                return;
            }
            int cut = (int) room;
            while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
                cut--;
            }
            kept = new String(bytes, 0, cut, StandardCharsets.UTF_8);
            bytes = kept.getBytes(StandardCharsets.UTF_8);
        }
        outputBytes += bytes.length;
        sink.publish(next(ProgressKind.OUTPUT).withOutput(stream, kept));
    }

    /** Writes one line of step output on stdout (bootstrap steps). */
    public void line(String text) {
        output("stdout", text + "\n");
    }

    public synchronized void finished(Integer exitCode, boolean timedOut) {
        if (ended) {
            return;
        }
        ended = true;
        long ms = Duration.between(startedAt, clock.instant()).toMillis();
        sink.publish(next(ProgressKind.FINISHED).withResult(exitCode, ms, truncated, timedOut));
    }

    /** Nothing ran: REJECTED (refused credentials or host key) or UNREACHABLE, with the reason. */
    public synchronized void refused(ProgressKind kind, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        sink.publish(next(kind).withReason(reason));
    }

    private void send(ProgressKind kind) {
        if (!ended) {
            sink.publish(next(kind));
        }
    }

    private JobProgress next(ProgressKind kind) {
        return JobProgress.of(task, kind, nextSeq++, clock.instant());
    }
}
