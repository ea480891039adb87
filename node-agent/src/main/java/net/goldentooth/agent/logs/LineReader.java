package net.goldentooth.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Newline-separated lines from a stream, keeping at most {@code maxBytes} of a line: a longer line
 * is read to its end and reported {@link #oversized()} with its full {@link #length()}, so memory
 * stays bounded whatever the input.
 */
final class LineReader {

    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[8 * 1024];
    private int kept;
    private long length;

    LineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Reads the next line; false at the end of the stream (a last line without newline is still returned). */
    boolean next() throws IOException {
        kept = 0;
        length = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    return any;
                }
                chunkPos = 0;
                chunkEnd = n;
            }
            any = true;
            int start = chunkPos;
            int end = start;
            while (end < chunkEnd && chunk[end] != '\n') {
                end++;
            }
            append(start, end - start);
            if (end < chunkEnd) {
                chunkPos = end + 1;
                return true;
            }
            chunkPos = chunkEnd;
        }
    }

    private void append(int from, int n) {
        length += n;
        int room = Math.min(n, maxBytes - kept);
        if (room <= 0) {
            return;
        }
        if (kept + room > line.length) {
            line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(kept + room, line.length * 2)));
        }
        System.arraycopy(chunk, from, line, kept, room);
        kept += room;
    }

    byte[] buffer() {
        return line;
    }

    long length() {
        return length;
    }

    boolean oversized() {
        return length > maxBytes;
    }
}
