package net.goldentooth.pki.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.rest.errors.ApiErrors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer is an {@code ApiError}; bad input is 4xx with a message naming what was wrong. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return ApiErrors.answer(400, e.getMessage(), e.hints());
    }

    @ServerExceptionMapper
    public Response notInitialised(NotInitialisedException e) {
        return ApiErrors.answer(409, e.getMessage(), List.of("goldentooth pki init"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return ApiErrors.of(e);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return ApiErrors.unexpected(e);
    }
}
