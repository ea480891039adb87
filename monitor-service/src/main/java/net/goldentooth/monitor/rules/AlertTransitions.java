package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;

/**
 * The one transition function of the alert state machine, given the time:
 * <pre>
 * inactive/resolved --holds--> pending (activeSince = now), or firing at once when for = 0
 * pending --holds, for elapsed since activeSince--> firing
 * pending --clears--> inactive
 * firing --clears--> resolved
 * </pre>
 */
public final class AlertTransitions {

    /** What the rule says about the alert at this evaluation; null when its condition does not hold. */
    public record Candidate(String alertName, String severity, Map<String, String> labels,
                            Map<String, String> annotations, Double value, Duration forDuration) {
    }

    /**
     * @param previous the alert's state so far, null if never seen
     * @param holding  the candidate when the condition holds now, else null
     * @return the next state (the same instance when nothing changed)
     */
    public static AlertState next(String fingerprint, AlertState previous, Candidate holding, Instant now) {
        AlertPhase phase = previous == null ? AlertPhase.INACTIVE : previous.phase();
        switch (phase) {
            case INACTIVE, RESOLVED -> {
                if (holding == null) {
                    return previous;
                }
                boolean immediate = holding.forDuration().isZero() || holding.forDuration().isNegative();
                return state(fingerprint, holding, immediate ? AlertPhase.FIRING : AlertPhase.PENDING, now,
                        immediate ? now : null, null, now, false);
            }
            case PENDING -> {
                if (holding == null) {
                    return with(previous, AlertPhase.INACTIVE, previous.firedAt(), null, now);
                }
                boolean due = !now.isBefore(previous.activeSince().plus(holding.forDuration()));
                return state(fingerprint, holding, due ? AlertPhase.FIRING : AlertPhase.PENDING, previous.activeSince(),
                        due ? now : null, null, now, previous.inhibited());
            }
            case FIRING -> {
                if (holding == null) {
                    return with(previous, AlertPhase.RESOLVED, previous.firedAt(), now, now);
                }
                return state(fingerprint, holding, AlertPhase.FIRING, previous.activeSince(), previous.firedAt(), null,
                        now, previous.inhibited());
            }
            default -> throw new IllegalStateException("unknown phase " + phase);
        }
    }

    private static AlertState state(String fingerprint, Candidate c, AlertPhase phase, Instant activeSince,
                                    Instant firedAt, Instant resolvedAt, Instant now, boolean inhibited) {
        Map<String, String> annotations = new java.util.TreeMap<>();
        c.annotations().forEach((k, v) -> annotations.put(k, Templates.render(v, c.labels(), c.value())));
        return new AlertState(fingerprint, c.alertName(), phase, c.severity(), Map.copyOf(c.labels()),
                Map.copyOf(annotations), activeSince, firedAt, resolvedAt, now, inhibited, c.value());
    }

    private static AlertState with(AlertState s, AlertPhase phase, Instant firedAt, Instant resolvedAt, Instant now) {
        return new AlertState(s.fingerprint(), s.alertName(), phase, s.severity(), s.labels(), s.annotations(),
                s.activeSince(), firedAt, resolvedAt, now, s.inhibited(), s.value());
    }

    private AlertTransitions() {
    }
}
