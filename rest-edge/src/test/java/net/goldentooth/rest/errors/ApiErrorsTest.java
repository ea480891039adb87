package net.goldentooth.rest.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.goldentooth.events.api.ApiError;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    record Probe(int count) {
    }

    @Test
    void aRefusalOfTheRestLayerKeepsItsStatusAndMessage() {
        Response answer = ApiErrors.of(new NotAllowedException("HTTP 405 Method Not Allowed", "GET", new String[] {"HEAD"}));
        assertEquals(405, answer.getStatus());
        assertEquals(new ApiError(405, "HTTP 405 Method Not Allowed", List.of()), answer.getEntity());
    }

    @Test
    void aServerFaultSaysNothingOfItsCauseButAnIdTheLogHasToo() {
        List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(ApiErrors.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            ApiError web = (ApiError) ApiErrors.of(new WebApplicationException("disk /var/lib/secret is full", 503)).getEntity();
            ApiError unexpected = (ApiError) ApiErrors.unexpected(new IllegalStateException("token abc leaked")).getEntity();
            assertEquals(503, web.status());
            assertEquals(500, unexpected.status());
            for (ApiError error : List.of(web, unexpected)) {
                assertTrue(error.error().matches("internal error \\(id [0-9a-f]{12}\\)"), error.error());
                assertTrue(error.hints().isEmpty());
            }
            assertNotEquals(web.error(), unexpected.error(), "each failure gets its own id");
            assertEquals(2, logged.size());
            String id = unexpected.error().substring("internal error (id ".length(), unexpected.error().length() - 1);
            LogRecord record = logged.get(1);
            assertTrue(java.text.MessageFormat.format(record.getMessage(), record.getParameters()).contains(id)
                    || String.valueOf(record.getMessage()).contains(id), record.getMessage());
            assertEquals("token abc leaked", record.getThrown().getMessage(), "the log keeps the cause");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aMalformedBodyNamesTheExpectedTypeAndThePosition() {
        JsonProcessingException broken = readFails("{,}");
        assertEquals(new ApiError(400, "request body is not a valid Probe: Unexpected character (',' (code 44)): was expecting"
                + " double-quote to start field name (line 1, column 2)", List.of()),
                ApiErrors.malformedBody("Probe", broken).getEntity());
        assertTrue(((ApiError) ApiErrors.malformedBody(null, broken).getEntity()).error()
                .startsWith("request body is not valid JSON: Unexpected character"));
    }

    @Test
    void aWrongTypeNamesTheFieldOnOneLine() {
        ApiError error = (ApiError) ApiErrors.malformedBody("Probe", readFails("{\"count\":\"many\"}")).getEntity();
        assertTrue(error.error().startsWith("request body is not a valid Probe: field 'count': "), error.error());
        assertFalse(error.error().contains("\n"), error.error());
    }

    private static JsonProcessingException readFails(String json) {
        try {
            new ObjectMapper().readValue(json, Probe.class);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("parsed: " + json);
    }
}
