package net.goldentooth.rest.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.events.api.ApiError;
import org.jboss.logging.Logger;

/**
 * Error answers of every REST service: an {@link ApiError} body, never an empty one. Each service's
 * own exception mappers build their answers here, so the shape and the treatment of server faults
 * are the same in all four.
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

    private static Response internal(Exception e, int status) {
        LOG.error("request failed", e);
        return answer(status, "internal error", List.of());
    }

    private ApiErrors() {
    }
}
