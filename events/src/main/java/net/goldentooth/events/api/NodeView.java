package net.goldentooth.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.k8s.NodeConditions;

/**
 * One row of {@code GET /nodes}: an inventory host (or a node that publishes facts without being
 * in the inventory) with its liveness and last facts.
 *
 * @param live       facts arrived within the liveness window
 * @param inInventory false for a node that reports facts but is not in the inventory
 * @param facts      the last facts, or null when none ever arrived
 * @param kubernetes the node's last {@code node.conditions} (Ready, cordoned, taints) as the
 *                   provisioner read them from the Kubernetes API; null for a node Kubernetes does not
 *                   know or when the cluster is not watched. A second liveness signal beside {@code live}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeView(String node, String address, List<String> groups, boolean inInventory, boolean live,
                       Instant lastSeen, NodeFacts facts, NodeConditions kubernetes) {

    /** A row without Kubernetes' view of the node. */
    public NodeView(String node, String address, List<String> groups, boolean inInventory, boolean live,
                    Instant lastSeen, NodeFacts facts) {
        this(node, address, groups, inInventory, live, lastSeen, facts, null);
    }

    /** This row with what the Kubernetes API last said about the node (null when it said nothing). */
    public NodeView withKubernetes(NodeConditions conditions) {
        return new NodeView(node, address, groups, inInventory, live, lastSeen, facts, conditions);
    }
}
