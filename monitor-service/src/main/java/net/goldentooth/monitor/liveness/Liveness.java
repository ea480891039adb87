package net.goldentooth.monitor.liveness;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the monitor believes about a node. Facts stale for the liveness window mean the node is
 * down; the probe tells whether the machine still answers (only the agent is gone) or not.
 */
public enum Liveness {
    /** No facts seen yet from this node. */
    UNKNOWN,
    UP,
    /** Facts flow again, but not yet for the whole hold-down: still counted as down. */
    RECOVERING,
    /** Facts stale; no fresh kubelet condition or probe answer to tell agent from node. */
    DOWN,
    /** Facts stale, but the node's kubelet is Ready (or, without one, the node answers its probe): the agent is down. */
    AGENT_DOWN,
    /** Facts stale and the kubelet is NotReady (or, without one, the probe fails): the node is down. */
    NODE_DOWN;

    public boolean down() {
        return this == RECOVERING || this == DOWN || this == AGENT_DOWN || this == NODE_DOWN;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
