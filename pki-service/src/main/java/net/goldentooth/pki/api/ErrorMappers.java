package net.goldentooth.pki.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.rest.errors.ApiErrors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The PKI's own refusals. Bad bodies, unknown paths, {@code BadRequestException} and internal
 * failures are answered by rest-edge's {@code RestErrorMappers}, the same in every service.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response notInitialised(NotInitialisedException e) {
        return ApiErrors.answer(409, e.getMessage(), List.of("goldentooth pki init"));
    }
}
