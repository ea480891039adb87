package net.goldentooth.monitor.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.goldentooth.monitor.rules.ProbeResult;
import org.junit.jupiter.api.Test;

class ProbeReportsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant LEAF = Instant.parse("2026-11-26T10:00:00Z");

    private final ProbeReports reports = new ProbeReports(Duration.ofMinutes(5));

    private static ProbeResult answer(String target, boolean success, Instant leaf, Instant at) {
        return new ProbeResult(target, "https", "10.4.0.10:8200", success, success ? null : "ConnectException: refused",
                Duration.ofMillis(42), success ? 200 : null, leaf, at);
    }

    @Test
    void firstAnswerIsPublishedWithEveryField() {
        var event = reports.consider(answer("vault", true, LEAF, T0), null).orElseThrow();
        assertEquals("vault", event.target());
        assertEquals("https", event.kind());
        assertEquals("10.4.0.10:8200", event.address());
        assertNull(event.node());
        assertTrue(event.success());
        assertEquals(42, event.latencyMs());
        assertEquals(200, event.httpStatus());
        assertEquals(LEAF, event.leafNotAfter());
        assertNull(event.error());
        assertEquals(T0, event.at());
    }

    @Test
    void anUnchangedAnswerIsNotRepeatedWithinThePeriod() {
        reports.consider(answer("vault", true, LEAF, T0), null);
        assertEquals(Optional.empty(), reports.consider(answer("vault", true, LEAF, T0.plusSeconds(10)), null));
        assertEquals(Optional.empty(), reports.consider(answer("vault", true, LEAF, T0.plusSeconds(299)), null));
    }

    @Test
    void anUnchangedAnswerIsRepeatedOncePerPeriod() {
        reports.consider(answer("vault", true, LEAF, T0), null);
        assertTrue(reports.consider(answer("vault", true, LEAF, T0.plusSeconds(300)), null).isPresent());
        // The period counts from the last publication, not from the first one.
        assertEquals(Optional.empty(), reports.consider(answer("vault", true, LEAF, T0.plusSeconds(590)), null));
        assertTrue(reports.consider(answer("vault", true, LEAF, T0.plusSeconds(600)), null).isPresent());
    }

    @Test
    void upAndDownAreEachPublishedAtOnce() {
        reports.consider(answer("vault", true, LEAF, T0), null);
        var down = reports.consider(answer("vault", false, null, T0.plusSeconds(10)), null).orElseThrow();
        assertEquals(false, down.success());
        assertEquals("ConnectException: refused", down.error());
        assertNull(down.httpStatus());
        assertEquals(Optional.empty(), reports.consider(answer("vault", false, null, T0.plusSeconds(20)), null));
        assertTrue(reports.consider(answer("vault", true, LEAF, T0.plusSeconds(30)), null).orElseThrow().success());
    }

    @Test
    void aRenewedLeafIsPublishedAtOnce() {
        reports.consider(answer("vault", true, LEAF, T0), null);
        Instant renewed = LEAF.plus(Duration.ofHours(12));
        var event = reports.consider(answer("vault", true, renewed, T0.plusSeconds(10)), null).orElseThrow();
        assertEquals(renewed, event.leafNotAfter());
    }

    @Test
    void targetsAreTrackedApartAndCarryTheirNode() {
        reports.consider(answer("vault", true, LEAF, T0), null);
        var liveness = reports.consider(answer("liveness/bettley", true, null, T0.plusSeconds(1)), "bettley").orElseThrow();
        assertEquals("bettley", liveness.node());
    }

    @Test
    void aPeriodThatIsNotPositiveIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ProbeReports(Duration.ZERO));
    }
}
