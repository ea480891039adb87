package net.goldentooth.rest.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.events.api.ApiError;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void aRefusalOfTheRestLayerKeepsItsStatusAndMessage() {
        Response answer = ApiErrors.of(new NotAllowedException("HTTP 405 Method Not Allowed", "GET", new String[] {"HEAD"}));
        assertEquals(405, answer.getStatus());
        assertEquals(new ApiError(405, "HTTP 405 Method Not Allowed", List.of()), answer.getEntity());
    }

    @Test
    void aServerFaultSaysNothingOfItsCause() {
        Response answer = ApiErrors.of(new WebApplicationException("disk /var/lib/secret is full", 503));
        assertEquals(new ApiError(503, "internal error", List.of()), answer.getEntity());
        assertEquals(new ApiError(500, "internal error", List.of()),
                ApiErrors.unexpected(new IllegalStateException("token abc leaked")).getEntity());
    }
}
