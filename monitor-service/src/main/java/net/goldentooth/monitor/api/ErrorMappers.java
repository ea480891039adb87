package net.goldentooth.monitor.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import net.goldentooth.rest.errors.ApiErrors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the REST layer itself refuses (unknown path, wrong method, unacceptable {@code Accept},
 * unsupported content type) is answered with an {@code ApiError} like every other error, not an
 * empty body.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return ApiErrors.of(e);
    }
}
