package net.goldentooth.monitor.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's certificate colour: the issue's canary, a 24 h certificate with 0.2 h left, was
 * red by an absolute 7-day rule while the CLI called most of its life valid; now both use ExpiryTiers.
 */
class CertStatusTest {

    private static final Instant ISSUED = Instant.parse("2026-12-07T00:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(Duration.ofHours(24));

    @Test
    void aDayLongCertificateIsValidForTwoThirdsOfItsLife() {
        assertEquals("valid", Snapshot.CertRow.status(ISSUED, EXPIRES, null, ISSUED.plus(Duration.ofHours(10))));
        assertEquals("warning", Snapshot.CertRow.status(ISSUED, EXPIRES, null, ISSUED.plus(Duration.ofHours(20))));
        assertEquals("critical", Snapshot.CertRow.status(ISSUED, EXPIRES, null, EXPIRES.minus(Duration.ofMinutes(12))));
        assertEquals("expired", Snapshot.CertRow.status(ISSUED, EXPIRES, "critical", EXPIRES.plusSeconds(1)));
    }

    @Test
    void withoutALifetimeTheAnnouncedTierIsUsed() {
        assertEquals("warning", Snapshot.CertRow.status(null, EXPIRES, "warning", ISSUED));
        assertEquals("unknown", Snapshot.CertRow.status(null, EXPIRES, null, ISSUED));
        assertEquals("unknown", Snapshot.CertRow.status(ISSUED, null, null, ISSUED));
    }
}
