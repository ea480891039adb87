package net.goldentooth.monitor.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MonitorErrorTest {

    @Test
    void anInvalidSilenceIsPermanentAndListsEveryProblem() {
        MonitorError error = new MonitorError.InvalidSilence(List.of("endsAt is before startsAt", "no matcher"));
        assertEquals(MonitorError.Kind.INVALID_REQUEST, error.kind());
        assertFalse(error.retryable());
        assertEquals("the silence is not valid: endsAt is before startsAt; no matcher", error.safeMessage());
        assertEquals(List.of("endsAt is before startsAt", "no matcher"), error.hints());
    }

    @Test
    void anUnknownSilenceIsNotFound() {
        MonitorError error = new MonitorError.UnknownSilence("s-1");
        assertEquals(MonitorError.Kind.NOT_FOUND, error.kind());
        assertFalse(error.retryable());
        assertEquals("no silence 's-1'", error.safeMessage());
    }

    @Test
    void aBusFailureIsRetryableAndKeepsItsCauseOutOfTheCallersMessage() {
        TimeoutException cause = new TimeoutException("broker 10.4.0.9:9092 internal detail");
        MonitorError error = new MonitorError.BusUnavailable("silence s-1", cause);
        assertEquals(MonitorError.Kind.BUS_UNAVAILABLE, error.kind());
        assertTrue(error.retryable());
        assertEquals("silence s-1 could not be stored on the bus; nothing changed", error.safeMessage());
        assertTrue(error.details().get("cause").contains("internal detail"));
        MonitorError.Failure failure = new MonitorError.Failure(error);
        assertSame(error, failure.error());
        assertSame(cause, failure.getCause());
        assertFalse(failure.getMessage().contains("internal detail"));
    }
}
