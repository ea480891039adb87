package net.goldentooth.storage.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.rest.errors.ApiErrors;
import net.goldentooth.storage.service.NotLeaderException;
import net.goldentooth.storage.service.UnknownDatasetException;
import net.goldentooth.storage.service.UnknownTargetException;
import net.goldentooth.storage.shell.NodeShellException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Storage's own refusals. Bad bodies, unknown paths and internal failures are answered by
 * rest-edge's {@code RestErrorMappers}, the same in every service.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response unknownDataset(UnknownDatasetException e) {
        return ApiErrors.answer(404, e.getMessage(), e.known());
    }

    @ServerExceptionMapper
    public Response unknownTarget(UnknownTargetException e) {
        return ApiErrors.answer(400, e.getMessage(), e.targets());
    }

    /** A node could not be asked: not the caller's fault, and worth retrying. */
    @ServerExceptionMapper
    public Response node(NodeShellException e) {
        LOG.warnf("node command failed: %s", e.getMessage());
        return ApiErrors.answer(503, e.getMessage(), List.of(e.retryable() ? "retry later" : "check the node's agent"));
    }

    /** A standby: the leader (or this instance, once it takes over) will answer the same request. */
    @ServerExceptionMapper
    public Response notLeader(NotLeaderException e) {
        return ApiErrors.answer(503, e.error().safeMessage(), e.error().hints());
    }
}
