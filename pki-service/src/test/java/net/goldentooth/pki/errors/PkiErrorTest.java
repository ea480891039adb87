package net.goldentooth.pki.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalFault;
import net.goldentooth.events.cert.RefusalReason;
import org.junit.jupiter.api.Test;

class PkiErrorTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final CertRequest REQUEST = new CertRequest("r-1", "bettley", "bettley/vault", "vault",
            CertKind.RENEW, "csr", null, null, null, null, List.of(), false, AT);

    @Test
    void aPolicyRefusalIsPermanentExceptClockSkewWhichClearsWhenTheClockIsFixed() {
        PkiError.Refused names = new PkiError.Refused(RefusalReason.NAME_NOT_ALLOWED, "x is not granted to bettley");
        assertEquals(PkiError.Kind.REFUSED, names.kind());
        assertFalse(names.retryable());
        assertTrue(new PkiError.Refused(RefusalReason.CLOCK_SKEW, "offset 9 s").retryable());
        CertIssued answer = names.answer(REQUEST, AT);
        assertEquals(new CertIssued.Refusal(RefusalReason.NAME_NOT_ALLOWED, "x is not granted to bettley"),
                answer.refusal());
        assertNull(answer.refusal().fault());
        assertEquals("bettley/vault", answer.lineage());
        assertEquals("r-1", answer.requestId());
        assertNull(answer.serial());
    }

    @Test
    void anInternalFailureNamesAnIncidentAndKeepsTheCauseForTheLog() {
        PkiError.Internal internal = new PkiError.Internal("ab12cd34",
                new NullPointerException("Cannot invoke \"String.length()\" because \"secret\" is null"));
        assertTrue(internal.retryable());
        assertEquals(PkiError.Kind.INTERNAL, internal.kind());
        CertIssued.Refusal refusal = internal.answer(REQUEST, AT).refusal();
        assertEquals(RefusalReason.BAD_REQUEST, refusal.reason());
        assertEquals(RefusalFault.INTERNAL_ERROR, refusal.fault());
        assertTrue(refusal.message().contains("ab12cd34"), refusal.message());
        assertFalse(refusal.message().contains("secret"), refusal.message());
        assertEquals("java.lang.NullPointerException", internal.details().get("cause"));
        assertFalse(PkiError.Internal.of(new IllegalStateException()).incident()
                .equals(PkiError.Internal.of(new IllegalStateException()).incident()));
    }

    @Test
    void notInitialisedIsRetryableAndSaysHowToInitialise() {
        PkiError error = new PkiError.NotInitialised();
        assertTrue(error.retryable());
        assertTrue(error.safeMessage().contains("POST /ca/init"));
    }
}
