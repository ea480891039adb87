package net.goldentooth.provisioner.haproxy;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.provisioner.inventory.Inventory;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Configuration files rendered from the inventory. */
@Path("/render")
public class RenderResource {

    @Inject
    Inventory inventory;
    @Inject
    HaproxyConfig config;

    @GET
    @Path("haproxy")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "haproxy.cfg for the Kubernetes API load balancer, from the inventory's control-plane group")
    public String haproxy() {
        return HaproxyRenderer.render(inventory, new HaproxyRenderer.Settings(config.controlPlaneGroup(),
                config.balancerGroup(), config.apiPort(), config.statsPort()));
    }

    /** The inventory, not the caller, is at fault, but nothing on the server broke either: 409 with the reason. */
    @ServerExceptionMapper
    public Response unrenderable(RenderException e) {
        return Response.status(409).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(409, e.getMessage(), e.hints())).build();
    }
}
