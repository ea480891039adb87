package net.goldentooth.provisioner.jobs;

/** Who runs a target's task; on the wire as {@code TargetStatus.via}. */
enum Via {
    /** The node's agent, through a signed task on {@code job.tasks}. */
    AGENT("agent"),
    /** The provisioner's SSH executor (a bootstrap, or the SSH fallback for a node without a live agent). */
    SSH("ssh");

    private final String wire;

    Via(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /** A restored status's value; anything but {@code ssh} (including none, from older statuses) is the agent. */
    static Via fromWire(String wire) {
        return SSH.wire.equals(wire) ? SSH : AGENT;
    }
}
