package net.goldentooth.agent.tasks.execution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coalesces a task's stdout and stderr into OUTPUT records of at most {@link #MAX_CHUNK_BYTES},
 * sent when a buffer is full or its oldest byte has waited {@link #MAX_DELAY_NANOS}: few records
 * for a chatty command, little delay for a quiet one. Output past the task's byte cap is dropped
 * and remembered as truncation. Each stream keeps its own order; records are numbered in the
 * order they are sent. Thread-safe: the two stream readers and the waiting thread share it.
 */
public final class OutputChunker {

    public static final int MAX_CHUNK_BYTES = 8 * 1024;
    public static final long MAX_DELAY_NANOS = 50_000_000L;

    private static final class Pending {
        final StringBuilder text = new StringBuilder();
        int bytes;
        long since;
    }

    private final TaskProgress progress;
    private final long capBytes;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long acceptedBytes;
    private boolean truncated;

    public OutputChunker(TaskProgress progress, long capBytes) {
        this.progress = progress;
        this.capBytes = capBytes;
    }

    /** Adds output read from {@code stream} at {@code nowNanos}; sends full chunks at once. */
    public synchronized void append(String stream, CharSequence text, long nowNanos) {
        Pending buffer = pending.computeIfAbsent(stream, s -> new Pending());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            int size = pair ? 4 : utf8Length(c);
            if (acceptedBytes + size > capBytes) {
                truncated = true;
                break;
            }
            if (buffer.bytes + size > MAX_CHUNK_BYTES) {
                send(stream, buffer);
            }
            if (buffer.text.length() == 0) {
                buffer.since = nowNanos;
            }
            buffer.text.append(c);
            if (pair) {
                buffer.text.append(text.charAt(++i));
            }
            buffer.bytes += size;
            acceptedBytes += size;
        }
        if (buffer.bytes >= MAX_CHUNK_BYTES) {
            send(stream, buffer);
        }
    }

    /** Sends every buffer whose oldest output has waited long enough. */
    public synchronized void flushDue(long nowNanos) {
        pending.forEach((stream, buffer) -> {
            if (buffer.bytes > 0 && nowNanos - buffer.since >= MAX_DELAY_NANOS) {
                send(stream, buffer);
            }
        });
    }

    /** Sends whatever is left, at the end of the task. */
    public synchronized void flushAll() {
        pending.forEach((stream, buffer) -> {
            if (buffer.bytes > 0) {
                send(stream, buffer);
            }
        });
    }

    public synchronized boolean truncated() {
        return truncated;
    }

    private void send(String stream, Pending buffer) {
        progress.output(stream, buffer.text.toString());
        buffer.text.setLength(0);
        buffer.bytes = 0;
    }

    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        // A lone surrogate is encoded as '?' (1 byte) by Java's UTF-8 encoder, but 3 is the safe upper bound.
        return 3;
    }
}
