package net.goldentooth.provisioner.k8s;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.provisioner.k8s.upgrade.UpgradeState;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Kubernetes errors as ApiError: the status the operation chose (400, 404, 502), 409 for an upgrade not in that state. */
public class K8sErrorMapper {

    private static final Logger LOG = Logger.getLogger(K8sErrorMapper.class);

    @ServerExceptionMapper
    public Response k8s(K8sException e) {
        if (e.retryable()) {
            LOG.warnf("Kubernetes operation failed: %s", e.getMessage());
        }
        return answer(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response upgradeState(UpgradeState.IllegalTransition e) {
        return answer(409, e.getMessage());
    }

    private static Response answer(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, message, List.of())).build();
    }
}
