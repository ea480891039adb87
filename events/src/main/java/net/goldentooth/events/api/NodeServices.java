package net.goldentooth.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.ServiceCheck;

/**
 * One node's service checks as the provisioner's {@code GET /services?pattern=} serves them (what
 * {@code goldentooth services} prints): the {@code services} section of its newest facts.
 *
 * @param services null when the node's agent runs no check (or has published no facts)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeServices(String node, List<String> groups, boolean live, Instant lastSeen,
                           NodeFacts.Section<List<ServiceCheck>> services) {

    /** The node's row of {@code GET /nodes} reduced to its checks. */
    public static NodeServices of(NodeView view) {
        return new NodeServices(view.node(), view.groups(), view.live(), view.lastSeen(),
                view.facts() == null ? null : view.facts().services());
    }
}
