package net.goldentooth.monitor.silences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.alert.SilenceMatcher;
import org.junit.jupiter.api.Test;

class SilencesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final Map<String, String> HOT_BETTLEY = Map.of("alertname", "CpuTemperatureHigh", "node", "bettley",
            "severity", "warning");

    private static SilenceMatcher eq(String name, String value) {
        return new SilenceMatcher(name, value, false, true);
    }

    private static Silence create(List<SilenceMatcher> matchers, String duration) {
        SilenceRequests.Outcome outcome = SilenceRequests.create(
                new SilenceRequests.Body(matchers, duration, null, "fan swap"), "alice", NOW);
        assertTrue(outcome.valid(), outcome.errors().toString());
        return outcome.silence();
    }

    @Test
    void anActiveSilenceCoversOnlyAlertsMatchingEveryMatcher() {
        SilenceBook book = new SilenceBook();
        Silence s = create(List.of(eq("alertname", "CpuTemperatureHigh"),
                new SilenceMatcher("node", "bettley|cargyll", true, true)), "2h");
        book.fold(s);
        assertEquals("alice", s.createdBy());
        assertEquals(NOW.plus(Duration.ofHours(2)), s.endsAt());
        assertTrue(book.silencing(HOT_BETTLEY, NOW).isPresent());
        assertTrue(book.covers(s.id(), HOT_BETTLEY, NOW.plusSeconds(60)));
        // Regexes are anchored: "bettley|cargyll" does not match "bettley2".
        assertFalse(book.silencing(Map.of("alertname", "CpuTemperatureHigh", "node", "bettley2"), NOW).isPresent());
        assertFalse(book.silencing(Map.of("alertname", "NodeDown", "node", "bettley"), NOW).isPresent());
        assertFalse(book.silencing(HOT_BETTLEY, NOW.plus(Duration.ofHours(2))).isPresent(), "ended");
    }

    @Test
    void negativeMatchersExcludeAndAnAbsentLabelIsEmpty() {
        SilenceBook book = new SilenceBook();
        book.fold(create(List.of(eq("alertname", "CpuTemperatureHigh"), new SilenceMatcher("node", "bettley", false, false)),
                "1h"));
        assertFalse(book.silencing(HOT_BETTLEY, NOW).isPresent());
        assertTrue(book.silencing(Map.of("alertname", "CpuTemperatureHigh", "node", "fenn"), NOW).isPresent());
        assertTrue(book.silencing(Map.of("alertname", "CpuTemperatureHigh"), NOW).isPresent());
    }

    @Test
    void expiryEndsAndDeletionHidesAndAnOlderRecordDoesNotComeBack() {
        SilenceBook book = new SilenceBook();
        Silence s = create(List.of(eq("node", "bettley")), "1d");
        book.fold(s);
        Silence expired = SilenceRequests.expire(s, "bob", NOW);
        book.fold(expired);
        assertEquals(SilenceBook.SilenceState.EXPIRED, SilenceBook.state(book.get(s.id()).orElseThrow(), NOW));
        assertEquals("bob", book.get(s.id()).orElseThrow().updatedBy());
        assertFalse(book.silencing(HOT_BETTLEY, NOW).isPresent());
        book.fold(s); // redelivered original, older updatedAt
        assertEquals(expired, book.get(s.id()).orElseThrow());
        book.fold(SilenceRequests.delete(expired, "bob", NOW));
        assertTrue(book.get(s.id()).isEmpty());
        assertTrue(book.list().isEmpty());
    }

    @Test
    void badRequestsNameEveryProblem() {
        SilenceRequests.Outcome none = SilenceRequests.create(new SilenceRequests.Body(List.of(), "", null, " "), "a", NOW);
        assertEquals(3, none.errors().size(), none.errors().toString());
        assertTrue(none.errors().get(0).startsWith("matchers"));
        assertTrue(none.errors().get(1).startsWith("duration"));
        assertTrue(none.errors().get(2).startsWith("comment"));
        assertTrue(errors(List.of(new SilenceMatcher("node", "(", true, true)), "1h").get(0).contains("not a regular expression"));
        assertTrue(errors(List.of(new SilenceMatcher("node", ".*", true, true)), "1h").get(0).contains("every alert"));
        assertTrue(errors(List.of(eq("bad-name", "x")), "1h").get(0).contains("not a label name"));
        assertTrue(errors(List.of(eq("node", "x")), "31d").get(0).contains("at most 30d"));
        assertTrue(errors(List.of(eq("node", "x")), "soon").get(0).contains("not a duration"));
        assertTrue(errors(List.of(eq("node", "x")), "-PT1H").get(0).contains("positive"));
        assertTrue(SilenceRequests.create(null, "a", NOW).errors().get(0).contains("body"));
        assertEquals(Duration.ofMinutes(90), SilenceRequests.parseDuration("90m"));
        assertEquals(Duration.ofHours(2), SilenceRequests.parseDuration("PT2H"));
    }

    private static List<String> errors(List<SilenceMatcher> matchers, String duration) {
        return SilenceRequests.create(new SilenceRequests.Body(matchers, duration, null, "why"), "a", NOW).errors();
    }
}
