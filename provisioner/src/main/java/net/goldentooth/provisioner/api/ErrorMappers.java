package net.goldentooth.provisioner.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.provisioner.inventory.PatternException;
import net.goldentooth.provisioner.jobs.JobRequestException;
import net.goldentooth.rest.errors.ApiErrors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The provisioner's own refusals, 4xx with a message naming what was wrong. Bad bodies, unknown
 * paths, {@code BadRequestException} and internal failures are answered by rest-edge's
 * {@code RestErrorMappers}, the same in every service.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response jobRequest(JobRequestException e) {
        return ApiErrors.answer(400, e.getMessage(), e.hints());
    }

    @ServerExceptionMapper
    public Response pattern(PatternException e) {
        return ApiErrors.answer(400, e.getMessage(), e.knownGroups());
    }

    /** During a rebalance (or with more instances than partitions) this instance can start no job: retry. */
    @ServerExceptionMapper
    public Response notOwner(net.goldentooth.provisioner.jobs.JobEngine.NotOwner e) {
        return Response.fromResponse(ApiErrors.answer(503, e.getMessage(), List.of())).header("Retry-After", "1")
                .build();
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return ApiErrors.answer(404, e.getMessage(), List.of());
    }
}
