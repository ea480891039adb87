package net.goldentooth.events.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status word pki-service's {@code GET /certs} and the monitor's dashboard both derive from the tiers. */
class ExpiryTiersTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aDayLongCertificateIsJudgedByTheShareOfItsLifetimeLeft() {
        Instant notAfter = T0.plus(Duration.ofHours(24));
        // 0.2 h left of 24 h is under 10 %: critical, although a flat 7-day rule would also say so;
        // 20 h left is valid, where an absolute rule would call every 24 h certificate red.
        assertEquals("valid", ExpiryTiers.status(T0, notAfter, T0.plus(Duration.ofHours(4))));
        assertEquals("valid", ExpiryTiers.status(T0, notAfter, T0.plus(Duration.ofHours(15))));
        assertEquals("warning", ExpiryTiers.status(T0, notAfter, T0.plus(Duration.ofHours(17))));
        assertEquals("critical", ExpiryTiers.status(T0, notAfter, T0.plus(Duration.ofMinutes(24 * 60 - 12))));
        assertEquals("expired", ExpiryTiers.status(T0, notAfter, notAfter));
    }

    @Test
    void aLongLivedCertificateUsesTheAbsoluteTiers() {
        Instant notAfter = T0.plus(Duration.ofDays(365));
        assertEquals("valid", ExpiryTiers.status(T0, notAfter, notAfter.minus(Duration.ofDays(31))));
        assertEquals("warning", ExpiryTiers.status(T0, notAfter, notAfter.minus(Duration.ofDays(29))));
        assertEquals("critical", ExpiryTiers.status(T0, notAfter, notAfter.minus(Duration.ofDays(6))));
        assertEquals("emergency", ExpiryTiers.status(T0, notAfter, notAfter.minus(Duration.ofDays(1))));
        assertEquals("expired", ExpiryTiers.status(T0, notAfter, notAfter.plusSeconds(1)));
    }
}
