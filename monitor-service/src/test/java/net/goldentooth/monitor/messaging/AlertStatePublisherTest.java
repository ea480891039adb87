package net.goldentooth.monitor.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import org.junit.jupiter.api.Test;

class AlertStatePublisherTest {

    private static AlertState state(String lineage) {
        return new AlertState("abc123", "CertificateRenewalFailed", AlertPhase.FIRING, "warning",
                Map.of("alertname", "CertificateRenewalFailed", "lineage", lineage),
                Map.of("summary", "renewal of " + lineage + " failed"), Instant.EPOCH, Instant.EPOCH, null,
                Instant.EPOCH, false, null);
    }

    @Test
    void aStateWithOrdinaryValuesIsPublishedAsItIs() {
        AlertState ordinary = state("bettley/vault");
        assertSame(ordinary, AlertStatePublisher.bounded(ordinary));
    }

    @Test
    void aHostileMegabyteLabelIsCutSoTheRecordStaysFarBelowTheBrokersLimit() {
        AlertState hostile = state("x".repeat(900_000));
        AlertState bounded = AlertStatePublisher.bounded(hostile);
        assertEquals("abc123", bounded.fingerprint(), "the alert keeps its identity");
        assertTrue(bounded.labels().get("lineage").startsWith("x".repeat(AlertStatePublisher.MAX_VALUE_CHARS)));
        assertTrue(bounded.labels().get("lineage").endsWith("(900000 chars)"), bounded.labels().get("lineage"));
        assertEquals("CertificateRenewalFailed", bounded.labels().get("alertname"));
        assertTrue(EventCodec.encode(bounded).length < 8 * 1024, "encoded size " + EventCodec.encode(bounded).length);
    }
}
