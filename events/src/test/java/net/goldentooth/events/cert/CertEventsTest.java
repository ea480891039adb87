package net.goldentooth.events.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.Topics;
import org.junit.jupiter.api.Test;

class CertEventsTest {

    @Test
    void lineageKeyRoundTripsAndSharesTheNodePrefix() {
        String key = NodeRouting.lineageKey("bettley", "bettley/consul");
        assertEquals("bettley|bettley/consul", key);
        assertTrue(key.startsWith(NodeRouting.lineageKeyPrefix("bettley")));
        assertFalse(key.startsWith(NodeRouting.lineageKeyPrefix("bett")));
        assertEquals(new NodeRouting.LineageKey("bettley", "bettley/consul"), NodeRouting.parseLineageKey(key));
    }

    @Test
    void lineageKeysThatCannotBeParsedBackAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.lineageKey("a|b", "x"));
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.lineageKey("", "x"));
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.lineageKey("a", ""));
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.parseLineageKey("bettley"));
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.parseLineageKey("|x"));
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.parseLineageKey("x|"));
    }

    @Test
    void proofMaterialBindsRequestIdAndTheHashOfTheCsr() {
        byte[] material = CertRequest.proofMaterial("r-1", "abc");
        // sha256("abc") is the FIPS 180-2 test vector.
        assertEquals("r-1\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                new String(material, StandardCharsets.UTF_8));
        assertNotEquals(new String(material, StandardCharsets.UTF_8),
                new String(CertRequest.proofMaterial("r-2", "abc"), StandardCharsets.UTF_8));
    }

    @Test
    void samplesCarryTheirMeaning() throws IOException {
        CertRequest request = EventCodec.decode(golden(Topics.CERT_REQUESTED), CertRequest.class);
        assertEquals(CertKind.RENEW, request.kind());
        assertTrue(request.proof().currentCertificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(request.csrPem(), request.subjectMaterial());
        CertIssued issued = EventCodec.decode(golden(Topics.CERT_ISSUED), CertIssued.class);
        assertFalse(issued.issued());
        assertEquals(RefusalReason.NAME_NOT_ALLOWED, issued.refusal().reason());
        CertExpiring expiring = EventCodec.decode(golden(Topics.CERT_EXPIRING), CertExpiring.class);
        assertEquals(ExpiryTier.CRITICAL, expiring.tier());
        assertEquals(LifetimeKind.SHORT, expiring.lifetimeKind());
        TrustBundle bundle = EventCodec.decode(golden(Topics.PKI_TRUST), TrustBundle.class);
        assertEquals(4, bundle.revision());
    }

    @Test
    void wireNamesAreTheDocumentedOnes() {
        assertEquals("ssh-host", CertKind.SSH_HOST.wire());
        assertEquals("expired-beyond-grace", RefusalReason.EXPIRED_BEYOND_GRACE.wire());
        assertThrows(PoisonMessageException.class, () -> EventCodec.decode(
                "{\"requestId\":\"r\",\"kind\":\"steal\",\"rekey\":false}", CertRequest.class));
    }

    @Test
    void anInternalFailureIsARetryableRefusalThatOlderReadersStillDecode() {
        CertIssued failed = new CertIssued("r-1", "bettley", "bettley/vault", "vault", CertKind.RENEW, null, null,
                null, null, null, null, new CertIssued.Refusal(RefusalReason.BAD_REQUEST,
                "pki-service failed handling the request (incident 7f3b)", RefusalFault.INTERNAL_ERROR), null);
        byte[] wire = EventCodec.encode(failed);
        assertTrue(new String(wire, StandardCharsets.UTF_8).contains("\"fault\":\"internal-error\""));
        CertIssued back = EventCodec.decode(wire, CertIssued.class);
        assertEquals(RefusalFault.INTERNAL_ERROR, back.refusal().fault());
        assertTrue(back.refusal().retryable());
        // A reader built before the field existed: same shape without it, unknown properties ignored.
        OldIssued old = EventCodec.decode(wire, OldIssued.class);
        assertEquals(RefusalReason.BAD_REQUEST, old.refusal().reason());
        assertEquals("pki-service failed handling the request (incident 7f3b)", old.refusal().message());
    }

    @Test
    void aDecidedRefusalHasNoFaultOnTheWireAndIsNotRetryable() throws IOException {
        CertIssued issued = EventCodec.decode(golden(Topics.CERT_ISSUED), CertIssued.class);
        assertEquals(null, issued.refusal().fault());
        assertFalse(issued.refusal().retryable());
        assertFalse(new String(EventCodec.encode(issued), StandardCharsets.UTF_8).contains("fault"));
        assertFalse(new String(EventCodec.encode(issued), StandardCharsets.UTF_8).contains("retryable"));
    }

    record OldRefusal(RefusalReason reason, String message) {
    }

    record OldIssued(String requestId, OldRefusal refusal) {
    }

    private static byte[] golden(String topic) throws IOException {
        try (InputStream in = CertEventsTest.class.getResourceAsStream("/golden/" + topic + ".json")) {
            if (in == null) {
                throw new IOException("no golden sample for " + topic);
            }
            return in.readAllBytes();
        }
    }
}
