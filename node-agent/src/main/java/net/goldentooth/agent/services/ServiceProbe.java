package net.goldentooth.agent.services;

import net.goldentooth.events.facts.ServiceCheck;

/**
 * One health check of a system this node runs, a collector of the facts' {@code services} section.
 * A check that gets no answer returns {@link ServiceCheck.State#UNKNOWN} with the reason and what it
 * could still tell (a Consul server's last-seen mark is on disk even while Consul is down); one that
 * throws or overruns the collector timeout is reported unknown by the gatherer.
 */
public interface ServiceProbe {

    /** The check's name in the facts; unique on a node. */
    String name();

    ServiceCheck check() throws Exception;
}
