package net.goldentooth.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;

/**
 * One row of {@code GET /nodes}: an inventory host (or a node that publishes facts without being
 * in the inventory) with its liveness and last facts.
 *
 * @param live       facts arrived within the liveness window
 * @param inInventory false for a node that reports facts but is not in the inventory
 * @param facts      the last facts, or null when none ever arrived
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeView(String node, String address, List<String> groups, boolean inInventory, boolean live,
                       Instant lastSeen, NodeFacts facts) {
}
