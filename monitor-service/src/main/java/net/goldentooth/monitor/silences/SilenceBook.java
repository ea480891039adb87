package net.goldentooth.monitor.silences;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.alert.SilenceMatcher;

/**
 * The silences known from {@code alert.silences}, newest record per id. Thread-safe: the consumer
 * folds, the REST layer folds its own writes at once, evaluation asks whether labels are silenced.
 * Regular expressions are compiled once per record and anchored to the whole value, as
 * Alertmanager does.
 */
public final class SilenceBook {

    public enum SilenceState {
        PENDING, ACTIVE, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Held(Silence silence, List<Pattern> patterns) {
    }

    private final Map<String, Held> byId = new HashMap<>();

    /** Keeps {@code silence} unless a record of the same id with a later {@code updatedAt} is held. */
    public synchronized void fold(Silence silence) {
        if (silence == null || silence.id() == null || silence.matchers() == null) {
            return;
        }
        Held held = byId.get(silence.id());
        if (held != null && held.silence().updatedAt() != null && silence.updatedAt() != null
                && silence.updatedAt().isBefore(held.silence().updatedAt())) {
            return;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (SilenceMatcher m : silence.matchers()) {
            try {
                patterns.add(m.isRegex() ? Pattern.compile(m.value() == null ? "" : m.value()) : null);
            } catch (java.util.regex.PatternSyntaxException e) {
                // Written by another producer without validation: it can silence nothing.
                return;
            }
        }
        byId.put(silence.id(), new Held(silence, patterns));
    }

    public synchronized Optional<Silence> get(String id) {
        Held held = byId.get(id);
        return held == null || held.silence().deletedAt() != null ? Optional.empty() : Optional.of(held.silence());
    }

    /** Every silence not deleted, the ones ending last first. */
    public synchronized List<Silence> list() {
        return byId.values().stream().map(Held::silence).filter(s -> s.deletedAt() == null)
                .sorted(Comparator.comparing(Silence::endsAt, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(Silence::id))
                .toList();
    }

    /** The first active silence whose matchers all hold for {@code labels}, if any. */
    public synchronized Optional<Silence> silencing(Map<String, String> labels, Instant now) {
        for (Held held : byId.values()) {
            if (state(held.silence(), now) == SilenceState.ACTIVE && held.silence().deletedAt() == null
                    && matches(held, labels)) {
                return Optional.of(held.silence());
            }
        }
        return Optional.empty();
    }

    /** True when the silence {@code id} is active and its matchers all hold for {@code labels}. */
    public synchronized boolean covers(String id, Map<String, String> labels, Instant now) {
        Held held = byId.get(id);
        return held != null && held.silence().deletedAt() == null
                && state(held.silence(), now) == SilenceState.ACTIVE && matches(held, labels);
    }

    public static SilenceState state(Silence s, Instant now) {
        if (s.endsAt() != null && !now.isBefore(s.endsAt())) {
            return SilenceState.EXPIRED;
        }
        if (s.startsAt() != null && now.isBefore(s.startsAt())) {
            return SilenceState.PENDING;
        }
        return SilenceState.ACTIVE;
    }

    private static boolean matches(Held held, Map<String, String> labels) {
        List<SilenceMatcher> matchers = held.silence().matchers();
        for (int i = 0; i < matchers.size(); i++) {
            SilenceMatcher m = matchers.get(i);
            String actual = labels == null ? "" : labels.getOrDefault(m.name(), "");
            if (actual == null) {
                actual = "";
            }
            boolean hit = m.isRegex() ? held.patterns().get(i).matcher(actual).matches() : actual.equals(m.value());
            if (hit != m.isEqual()) {
                return false;
            }
        }
        return !matchers.isEmpty();
    }
}
