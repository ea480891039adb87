package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** What a job runs. {@code batch}, {@code heredoc} and {@code pipe} are commands with stdin. */
public enum JobKind {
    /** A shell command run as the agent's user. */
    COMMAND,
    /** A shell command run as root; only on agents configured to allow it, and only for admins. */
    COMMAND_ROOT,
    /**
     * Installs and starts the node agent over SSH (upload, configuration, service start); runs on
     * the provisioner's SSH executor whatever the node's liveness, and needs no command.
     */
    BOOTSTRAP;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static JobKind fromWire(String value) {
        return WireNames.parse(JobKind.class, value);
    }
}
