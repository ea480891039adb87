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
     * {@code ansible-playbook <dir>/<command>.yaml} run by the provisioner itself: {@code command} is
     * the playbook's name ({@code setup_<name>}), {@code pattern} its {@code --limit}, {@code stdin}
     * its {@code -e} values, one {@code key=value} per line. One target, the provisioner.
     */
    PLAYBOOK,
    /**
     * The kubeadm minor-version upgrade, driven by the provisioner: {@code command} is the target
     * minor version ({@code 1.33}), {@code pattern} the nodes to upgrade. One target, the provisioner;
     * the node-level steps run as {@code command_root} jobs of their own.
     */
    K8S_UPGRADE,
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
