package net.goldentooth.rest.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import net.goldentooth.events.api.ApiError;
import org.jboss.logging.Logger;

/**
 * Error answers of every REST service: an {@link ApiError} body, never an empty one. The shared
 * mappers ({@link RestErrorMappers}) and each service's own mappers build their answers here, so
 * the shape and the treatment of server faults are the same in all four.
 */
public final class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    /** An {@link ApiError} answer with this status, message and hints (what to try instead). */
    public static Response answer(int status, String message, List<String> hints) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, message, hints)).build();
    }

    /**
     * What the REST layer itself refuses (unknown path, wrong method, unacceptable {@code Accept},
     * unsupported content type, malformed parameter) keeps its 4xx status and message; a 5xx is
     * logged with its cause and answered without one, so internals never reach the caller.
     */
    public static Response of(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return status >= 500 ? internal(e, status) : answer(status, e.getMessage(), List.of());
    }

    /** An unexpected failure: logged with its stack, answered as a bare 500. */
    public static Response unexpected(RuntimeException e) {
        return internal(e, 500);
    }

    /**
     * A request body Jackson could not read: 400 naming the expected type ({@code bodyType}, null
     * when unknown), the field, the first line of what Jackson found wrong and the position.
     */
    public static Response malformedBody(String bodyType, JsonProcessingException e) {
        String expected = bodyType == null ? "valid JSON" : "a valid " + bodyType;
        return answer(400, "request body is not " + expected + ": " + describe(e), List.of());
    }

    /**
     * The caller learns that it was not its fault and an id to quote; the log has the id, the cause
     * and its stack. The id is random, so it tells nothing about the request or the service.
     */
    private static Response internal(Exception e, int status) {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        LOG.errorf(e, "request failed, error id %s", id);
        return answer(status, "internal error (id " + id + ")", List.of());
    }

    private static String describe(JsonProcessingException e) {
        // An enum's @JsonCreator throws IllegalArgumentException with the known names; say that, not Jackson's wrapper.
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (field != null) {
                message = "field '" + field + "': " + message;
            }
        }
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private ApiErrors() {
    }
}
