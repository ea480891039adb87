package net.goldentooth.provisioner.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.api.InventoryView;
import net.goldentooth.events.api.NodeServices;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.provisioner.inventory.HostPattern;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.k8s.NodeConditionsPoller;
import net.goldentooth.provisioner.nodes.NodeDirectory;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The inventory, the nodes' liveness and their service checks. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

    @Inject
    Inventory inventory;
    @Inject
    NodeDirectory nodes;
    @Inject
    NodeConditionsPoller k8s;

    @GET
    @Path("inventory")
    @Operation(summary = "The parsed inventory: hosts with merged vars, groups with their hosts")
    public InventoryView inventory() {
        return inventory.toView();
    }

    /** What a pattern selects, before anything runs on it. */
    public record Selection(String pattern, List<String> hosts) {
    }

    @GET
    @Path("inventory/hosts")
    @Operation(summary = "The hosts a pattern selects, in inventory order, by the same resolution POST /jobs uses; "
            + "400 with the known groups for a pattern that selects nothing or does not parse")
    public Selection hosts(@QueryParam("pattern") String pattern) {
        return new Selection(pattern, HostPattern.resolve(pattern, inventory));
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Inventory hosts and fact-reporting nodes with liveness, last facts and Kubernetes node conditions")
    public List<NodeView> nodes() {
        return nodes.view(inventory).stream().map(v -> v.withKubernetes(k8s.of(v.node()))).toList();
    }

    @GET
    @Path("services")
    @Operation(summary = "The service checks (Slurm, HAProxy, Consul, Vault, Nomad, kubelet, ports) of the nodes an "
            + "Ansible pattern selects, from their last facts; 'all' also lists nodes reporting facts outside the inventory")
    public List<NodeServices> services(@QueryParam("pattern") @DefaultValue("all") String pattern) {
        List<NodeView> rows = nodes.view(inventory);
        if (pattern.strip().equals(Inventory.ALL)) {
            return rows.stream().map(NodeServices::of).toList();
        }
        Set<String> selected = Set.copyOf(HostPattern.resolve(pattern, inventory));
        return rows.stream().filter(v -> selected.contains(v.node())).map(NodeServices::of).toList();
    }
}
