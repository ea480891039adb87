package net.goldentooth.rest.auth;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import net.goldentooth.events.api.ApiError;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * For decisions the route alone cannot make, because they depend on the body: a resource calls
 * {@link #require} (the provisioner does for {@code command_root}). A refusal answers 403 ApiError.
 */
@ApplicationScoped
public class AuthGate {

    @Inject
    AuthConfig config;
    @Inject
    CurrentVertxRequest request;

    /** The authenticated caller of the current request, if authentication is on and the path is not open. */
    public Optional<Caller> caller() {
        RoutingContext context = request.getCurrent();
        return context == null ? Optional.empty() : Optional.ofNullable(context.get(AuthFilter.CALLER));
    }

    /** @throws AccessDeniedException when authentication is on and the caller's role does not include {@code role} */
    public void require(Role role, String action) {
        if (!config.enabled()) {
            return;
        }
        Caller caller = caller().orElseThrow(() -> new AccessDeniedException(action + " needs " + role.wire()));
        if (!caller.role().includes(role)) {
            throw new AccessDeniedException(caller.name() + " has role " + caller.role().wire() + "; " + action
                    + " needs " + role.wire());
        }
    }

    @ServerExceptionMapper
    public Response denied(AccessDeniedException e) {
        return Response.status(403).entity(ApiError.of(403, e.getMessage()))
                .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON).build();
    }
}
