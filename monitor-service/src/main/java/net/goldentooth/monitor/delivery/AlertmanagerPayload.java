package net.goldentooth.monitor.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;

/** Alerts in Alertmanager's v2 {@code postableAlerts} shape. Pure. */
public final class AlertmanagerPayload {

    /**
     * Firing alerts get {@code endsAt = now + 4 × resend} (as Prometheus does), so Alertmanager
     * resolves them itself if the monitor dies; resolved ones carry their real end. Pending,
     * inhibited and inactive alerts are not sent.
     */
    public static List<Map<String, Object>> of(List<AlertState> states, Instant now, Duration resend, String generatorUrl) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AlertState s : states) {
            if (s.phase() != AlertPhase.FIRING && s.phase() != AlertPhase.RESOLVED || s.inhibited()) {
                continue;
            }
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("labels", s.labels());
            alert.put("annotations", s.annotations());
            alert.put("startsAt", (s.firedAt() == null ? s.activeSince() : s.firedAt()).toString());
            alert.put("endsAt", (s.phase() == AlertPhase.RESOLVED ? s.resolvedAt() : now.plus(resend.multipliedBy(4))).toString());
            alert.put("generatorURL", generatorUrl);
            out.add(alert);
        }
        return out;
    }

    /** Capped exponential backoff: 1 s, 2 s, 4 s ... at most {@code max}. */
    public static Duration backoff(int failures, Duration max) {
        long millis = 1000L << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    private AlertmanagerPayload() {
    }
}
