package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;

/**
 * Every alert's state, and the evaluation that moves it on: conditions are matched, tiered
 * matches collapse to the highest tier per subject, every alert steps through
 * {@link AlertTransitions#next}, and alerts on a node with a firing node-down alert are inhibited,
 * except those whose condition {@linkplain Condition#survivesNodeDown() names a cause} (the clock).
 * Pure and given the time; the caller serialises access.
 */
public final class AlertTable {

    private final Duration resolvedRetention;
    private final Map<String, AlertState> states = new TreeMap<>();

    /** @param resolvedRetention how long a resolved alert stays listed (and is re-sent to Alertmanager) */
    public AlertTable(Duration resolvedRetention) {
        this.resolvedRetention = resolvedRetention;
    }

    /** Puts back a state read from {@code alert.state}; only pending and firing alerts matter after a restart. */
    public void restore(AlertState state) {
        if (state.phase().active()) {
            states.put(state.fingerprint(), state);
        } else {
            states.remove(state.fingerprint());
        }
    }

    public Collection<AlertState> states() {
        return List.copyOf(states.values());
    }

    public int size() {
        return states.size();
    }

    /** @param changed states whose phase or inhibition changed, to publish; inactive ones mean "forget this alert" */
    public record Evaluation(List<AlertState> changed) {
    }

    public Evaluation evaluate(List<RuleDefinition> rules, Observations observations, Instant now) {
        Map<String, AlertTransitions.Candidate> candidates = collapseTiers(candidates(rules, observations, now));
        Set<String> nodeDownRules = new HashSet<>();
        Set<String> neverInhibited = new HashSet<>();
        for (RuleDefinition rule : rules) {
            if (rule.condition().marksNodeDown()) {
                nodeDownRules.add(rule.name());
            }
            if (rule.condition().marksNodeDown() || rule.condition().survivesNodeDown()) {
                neverInhibited.add(rule.name());
            }
        }
        Map<String, AlertState> next = new TreeMap<>();
        Set<String> fingerprints = new HashSet<>(states.keySet());
        fingerprints.addAll(candidates.keySet());
        for (String fp : fingerprints) {
            AlertState after = AlertTransitions.next(fp, states.get(fp), candidates.get(fp), now);
            if (after != null) {
                next.put(fp, after);
            }
        }
        Set<String> downNodes = new HashSet<>();
        next.values().forEach(s -> {
            if (s.phase() == AlertPhase.FIRING && nodeDownRules.contains(s.alertName()) && s.labels().containsKey("node")) {
                downNodes.add(s.labels().get("node"));
            }
        });
        List<AlertState> changed = new ArrayList<>();
        for (Map.Entry<String, AlertState> e : next.entrySet()) {
            AlertState s = e.getValue();
            boolean inhibited = !neverInhibited.contains(s.alertName()) && downNodes.contains(s.labels().get("node"));
            if (inhibited != s.inhibited()) {
                s = new AlertState(s.fingerprint(), s.alertName(), s.phase(), s.severity(), s.labels(), s.annotations(),
                        s.activeSince(), s.firedAt(), s.resolvedAt(), s.updatedAt(), inhibited, s.value());
            }
            AlertState before = states.get(e.getKey());
            if (before == null || before.phase() != s.phase() || before.inhibited() != s.inhibited()) {
                changed.add(s);
            }
            boolean expired = s.phase() == AlertPhase.RESOLVED
                    && !now.isBefore(s.resolvedAt().plus(resolvedRetention));
            if (s.phase() == AlertPhase.INACTIVE || expired) {
                states.remove(e.getKey());
                if (expired) {
                    changed.add(forgotten(s, now));
                }
            } else {
                states.put(e.getKey(), s);
            }
        }
        return new Evaluation(List.copyOf(changed));
    }

    private static AlertState forgotten(AlertState s, Instant now) {
        return new AlertState(s.fingerprint(), s.alertName(), AlertPhase.INACTIVE, s.severity(), s.labels(),
                s.annotations(), s.activeSince(), s.firedAt(), s.resolvedAt(), now, false, s.value());
    }

    private record Tiered(AlertTransitions.Candidate candidate, RuleDefinition.Tier tier, Map<String, String> subject) {
    }

    private static Map<String, Tiered> candidates(List<RuleDefinition> rules, Observations observations, Instant now) {
        Map<String, Tiered> out = new HashMap<>();
        for (RuleDefinition rule : rules) {
            for (Match match : rule.condition().matches(observations, now)) {
                Map<String, String> labels = new TreeMap<>(rule.labels());
                labels.putAll(match.subject());
                labels.put("alertname", rule.name());
                labels.put("severity", rule.severity());
                out.put(Fingerprint.of(labels), new Tiered(new AlertTransitions.Candidate(rule.name(), rule.severity(),
                        labels, rule.annotations(), match.value(), rule.forDuration()), rule.tier(), match.subject()));
            }
        }
        return out;
    }

    /** For each tier group and subject only the highest-ranked match remains: one alert per certificate, not three. */
    private static Map<String, AlertTransitions.Candidate> collapseTiers(Map<String, Tiered> all) {
        Map<List<Object>, Integer> best = new HashMap<>();
        all.values().forEach(t -> {
            if (t.tier() != null) {
                best.merge(List.of(t.tier().group(), t.subject()), t.tier().rank(), Math::max);
            }
        });
        Map<String, AlertTransitions.Candidate> kept = new HashMap<>();
        all.forEach((fp, t) -> {
            if (t.tier() == null || Objects.equals(best.get(List.of(t.tier().group(), t.subject())), t.tier().rank())) {
                kept.put(fp, t.candidate());
            }
        });
        return kept;
    }
}
