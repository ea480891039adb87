package net.goldentooth.events.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One alert's state, on the compacted {@code alert.state} topic (key: fingerprint). The monitor
 * rebuilds its alert table from this topic before it evaluates again, so a pending alert keeps
 * its {@code activeSince} and its {@code for} timer across restarts.
 *
 * @param fingerprint hex hash of the sorted labels: the alert's identity
 * @param labels      every label, {@code alertname} and {@code severity} included
 * @param activeSince when the condition became true (start of the {@code for} timer)
 * @param firedAt     when it started firing; null while pending
 * @param resolvedAt  when it stopped firing; null unless resolved
 * @param inhibited   true while a firing NodeDown of the same node silences it
 * @param value       the value that made the condition true, where there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertState(
        String fingerprint,
        String alertName,
        AlertPhase phase,
        String severity,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant activeSince,
        Instant firedAt,
        Instant resolvedAt,
        Instant updatedAt,
        boolean inhibited,
        Double value) {
}
