package net.goldentooth.monitor.rules;

import java.util.Set;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.liveness.NodeLiveness;

/**
 * A node as rules see it.
 *
 * @param facts the newest checked facts (sections with data errors are null), or null if none
 */
public record ObservedNode(String node, Set<String> groups, NodeLiveness liveness, NodeFacts facts) {
}
