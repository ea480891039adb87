package net.goldentooth.events.api;

import java.util.List;
import net.goldentooth.events.logs.LogEntry;

/**
 * monitor-service's answer to {@code GET /logs}: the matching lines of {@code node.logs}, merged in
 * time order (oldest first), duplicates of at-least-once delivery dropped.
 *
 * @param lines     the lines
 * @param truncated true when more lines matched than were returned (the oldest were left out:
 *                  {@code n}, or the server's maximum, was reached)
 * @param scanned   records of {@code node.logs} read to answer
 */
public record LogPage(List<LogEntry> lines, boolean truncated, long scanned) {
}
