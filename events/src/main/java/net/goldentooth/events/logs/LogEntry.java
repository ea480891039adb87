package net.goldentooth.events.logs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One log line of a node, on {@code node.logs} (key: the node). The agent sends one record per
 * line; the producer compresses them in batches, so the per-record cost on the wire is small.
 *
 * @param node          the node the line was written on (the record key)
 * @param source        {@code journal}, or the path of the log file it was read from
 * @param unit          the systemd unit ({@code _SYSTEMD_UNIT} without {@code .service}), or for a
 *                      file the name the agent gives it (file name without {@code .log}); null when
 *                      the journal names none (kernel lines)
 * @param identifier    the syslog identifier ({@code SYSLOG_IDENTIFIER}), e.g. {@code kernel} or {@code sshd}
 * @param priority      syslog priority, 0 (emerg) to 7 (debug); a file line's is read from its level
 *                      word ({@code ERROR}, {@code WARN}...), 6 (info) when it has none
 * @param message       the text, valid UTF-8 (invalid bytes replaced by U+FFFD), at most the agent's
 *                      {@code max-line-bytes}
 * @param time          when the line was written: the journal's realtime timestamp (microseconds),
 *                      or for a file the time the agent read it
 * @param monotonicUs   the journal's monotonic timestamp since boot, in microseconds; null for files
 * @param bootId        the journal's boot id; null for files
 * @param pid           the writing process ({@code _PID}); null when unknown
 * @param cursor        where the line is in its source: the journal cursor, or {@code <inode>:<offset>}
 *                      of a file line's end; with the node it identifies a line, so readers can drop
 *                      the duplicates of at-least-once delivery
 * @param truncated     the bytes the line had before it was cut to {@code max-line-bytes}; null when whole
 * @param binary        true when the journal gave the message as bytes (not valid UTF-8 or with control
 *                      characters) and the agent decoded them; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogEntry(
        String node,
        String source,
        String unit,
        String identifier,
        int priority,
        String message,
        Instant time,
        Long monotonicUs,
        String bootId,
        Integer pid,
        String cursor,
        Long truncated,
        Boolean binary) {

    /** The source name of journal lines. */
    public static final String JOURNAL = "journal";
}
