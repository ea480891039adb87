package net.goldentooth.monitor.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.events.api.ApiError;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the REST layer itself refuses (unknown path, wrong method, unacceptable {@code Accept},
 * unsupported content type) is answered with an {@link ApiError} like every other error, not an
 * empty body.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return answer(status, "internal error");
        }
        return answer(status, e.getMessage());
    }

    private static Response answer(int status, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, error, List.of()))
                .build();
    }
}
