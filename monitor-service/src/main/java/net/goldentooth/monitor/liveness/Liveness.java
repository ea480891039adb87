package net.goldentooth.monitor.liveness;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the monitor believes about a node. No record from the node appended for its silence window
 * (bus time) means the node is down; the probes tell which part is gone: the machine, the agent, or
 * only the path from the agent to the bus.
 */
public enum Liveness {
    /** No record seen yet from this node. */
    UNKNOWN,
    UP,
    /** Records flow again, but not yet for the whole hold-down: still counted as down. */
    RECOVERING,
    /** Silent; no fresh kubelet condition or probe answer to tell agent from node. */
    DOWN,
    /** Silent, but the node's kubelet is Ready (or, without one, the node answers its probe): the agent is down. */
    AGENT_DOWN,
    /** Silent and the kubelet is NotReady (or, without one, the probe fails): the node is down. */
    NODE_DOWN,
    /** Silent, yet the agent itself answers its probe: it runs, but its records do not reach the bus. */
    PARTITIONED;

    public boolean down() {
        return this != UNKNOWN && this != UP;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
