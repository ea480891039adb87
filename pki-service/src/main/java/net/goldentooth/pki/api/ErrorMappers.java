package net.goldentooth.pki.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.events.api.ApiError;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer is an {@link ApiError}; bad input is 4xx with a message naming what was wrong. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return answer(400, e.getMessage(), e.hints());
    }

    @ServerExceptionMapper
    public Response notInitialised(NotInitialisedException e) {
        return answer(409, e.getMessage(), List.of("goldentooth pki init"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return answer(status, "internal error", List.of());
        }
        return answer(status, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return answer(500, "internal error", List.of());
    }

    private static Response answer(int status, String error, List<String> hints) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, error, hints))
                .build();
    }
}
