package net.goldentooth.monitor.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.Test;

class GrepPrefilterTest {

    private static byte[] record(String message) {
        return EventCodec.encode(new LogEntry("bettley", "journal", "kubelet", "kubelet", 6, message,
                Instant.parse("2026-12-07T03:00:00Z"), null, null, 812, "s=1;i=2", null, null));
    }

    private static LogQuery grep(String expression) {
        return LogQuery.parse(NodeSelection.parse("all", java.util.Map.of()), List.of(), null, null, null, expression, null);
    }

    @Test
    void onlyPlainTextGetsAPrefilter() {
        assertNotNull(GrepPrefilter.of(grep("failed to pull image").grep()));
        assertNotNull(GrepPrefilter.of(grep("nfs: server nas-1 not-responding").grep()));
        assertNull(GrepPrefilter.of(null));
        for (String regex : List.of("fail.*image", "a|b", "^E1207", "x+", "(oom)", "[0-9]", "\\d", "error$", "a{2}",
                "say \"hi\"", "naïve")) {
            assertNull(GrepPrefilter.of(grep(regex).grep()), regex);
        }
    }

    @Test
    void aRecordWithoutTheTextIsRuledOutAndOneWithItIsNot() {
        GrepPrefilter needle = GrepPrefilter.of(grep("needle").grep());
        assertFalse(needle.mayMatch(record("I1207 SyncLoop (PLEG): event for pod 12")));
        assertTrue(needle.mayMatch(record("E1207 failed to pull image: needle-7")));
        // Smart case: lower-case text matches any case, as the query itself does.
        assertTrue(needle.mayMatch(record("E1207 NEEDLE in upper case")));
        GrepPrefilter upper = GrepPrefilter.of(grep("Needle").grep());
        assertFalse(upper.mayMatch(record("a needle in lower case")));
        assertTrue(upper.mayMatch(record("a Needle as written")));
    }

    @Test
    void escapesAndNonAsciiBytesAreAlwaysDecoded() {
        GrepPrefilter k = GrepPrefilter.of(grep("kelvin").grep());
        // The Kelvin sign folds to k under Unicode case folding: the query matches it, so the prefilter must not refuse it.
        String kelvin = "\u212Aelvin scale";
        assertTrue(grep("kelvin").matches(entry(kelvin)));
        assertTrue(k.mayMatch(record(kelvin)));
        assertTrue(k.mayMatch(record("tab\there")), "a JSON escape");
        assertTrue(k.mayMatch("{\"message\":\"\\u006belvin\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void itNeverRulesOutALineTheQueryMatches() {
        List<String> messages = List.of("", "needle", "xneedlex", "NeEdLe", "nee dle", "needl", "eedle", "a\"needle\"",
                "needle\u0000", "über needle", "\u212A", "Failed password for root", "failed PASSWORD", "oom-kill",
                "Out of memory: Killed process 812", "nfs: server nas-1 not responding, still trying");
        List<String> greps = List.of("needle", "Needle", "password", "Failed password", "out of memory", "oom-kill",
                "not responding", "nas-1", "e", "k");
        int ruledOut = 0;
        for (String g : greps) {
            LogQuery query = grep(g);
            GrepPrefilter prefilter = GrepPrefilter.of(query.grep());
            assertNotNull(prefilter, g);
            for (String m : messages) {
                boolean matches = query.matches(entry(m));
                boolean may = prefilter.mayMatch(record(m));
                assertTrue(may || !matches, "'" + g + "' ruled out '" + m + "', which it matches");
                if (!may) {
                    ruledOut++;
                }
            }
        }
        // Most pairs do not match: the prefilter must rule out many of them, or it does nothing.
        assertTrue(ruledOut > 60, "ruled out only " + ruledOut);
        assertEquals(10, greps.size());
    }

    private static LogEntry entry(String message) {
        return EventCodec.decode(record(message), LogEntry.class);
    }
}
