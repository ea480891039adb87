package net.goldentooth.provisioner.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import net.goldentooth.events.api.InventoryView;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.k8s.NodeConditionsPoller;
import net.goldentooth.provisioner.runtime.ProvisionerApp;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The inventory and the nodes' liveness. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

    @Inject
    ProvisionerApp app;
    @Inject
    NodeConditionsPoller k8s;

    @GET
    @Path("inventory")
    @Operation(summary = "The parsed inventory: hosts with merged vars, groups with their hosts")
    public InventoryView inventory() {
        return app.inventory().toView();
    }

    /** What a pattern selects, before anything runs on it. */
    public record Selection(String pattern, List<String> hosts) {
    }

    @GET
    @Path("inventory/hosts")
    @Operation(summary = "The hosts a pattern selects, in inventory order, by the same resolution POST /jobs uses; "
            + "400 with the known groups for a pattern that selects nothing or does not parse")
    public Selection hosts(@QueryParam("pattern") String pattern) {
        return new Selection(pattern, HostPattern.resolve(pattern, app.inventory()));
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Inventory hosts and fact-reporting nodes with liveness, last facts and Kubernetes node conditions")
    public List<NodeView> nodes() {
        return app.nodes().view(app.inventory()).stream().map(v -> v.withKubernetes(k8s.of(v.node()))).toList();
    }
}
