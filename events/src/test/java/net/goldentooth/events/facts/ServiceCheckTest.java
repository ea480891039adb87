package net.goldentooth.events.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.Test;

class ServiceCheckTest {

    @Test
    void worstRanksCriticalAboveUnknownAboveWarning() {
        assertEquals(State.CRITICAL, State.UNKNOWN.worst(State.CRITICAL));
        assertEquals(State.UNKNOWN, State.WARNING.worst(State.UNKNOWN));
        assertEquals(State.WARNING, State.OK.worst(State.WARNING));
        assertEquals(State.OK, State.OK.worst(State.OK));
    }

    @Test
    void detailsAreCopiedAndReadAsNumbers() {
        Map<String, String> details = new HashMap<>(Map.of("realMemoryMb", "4096", "state", "idle"));
        ServiceCheck check = new ServiceCheck("slurmd", "slurmd", State.OK, "22.05.8", details,
                Instant.parse("2026-11-25T10:00:00Z"), null);
        details.put("realMemoryMb", "1");
        assertEquals(4096.0, check.number("realMemoryMb"));
        assertNull(check.number("state"), "not a number");
        assertNull(check.number("absent"));
        assertEquals(Map.of(), new ServiceCheck("x", "x", State.OK, null, null, null, null).details());
    }

    @Test
    void anUnknownStateOnTheWireIsPoisonNamingTheKnownOnes() {
        PoisonMessageException e = assertThrows(PoisonMessageException.class, () -> EventCodec.decode(
                "{\"name\":\"consul\",\"kind\":\"consul\",\"state\":\"purple\"}", ServiceCheck.class));
        assertTrue(e.getMessage().contains("ok, warning, critical, unknown"), e.getMessage());
    }
}
