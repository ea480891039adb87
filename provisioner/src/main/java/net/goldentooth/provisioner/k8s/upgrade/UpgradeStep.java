package net.goldentooth.provisioner.k8s.upgrade;

import java.util.List;

/**
 * One step of the kubeadm upgrade.
 *
 * @param number  1-based position in the plan
 * @param kind    what runs it
 * @param title   what the step does, for the job's output
 * @param nodes   the nodes it acts on (every node for the apt switch, one node otherwise, none for the gate)
 * @param command the {@code command_root} command for {@link Kind#COMMAND}; null otherwise
 */
public record UpgradeStep(int number, Kind kind, String title, List<String> nodes, String command) {

    public enum Kind {
        /** A {@code command_root} job on {@link #nodes()}, through the agents. */
        COMMAND,
        /** Wait for an operator's {@code goldentooth job approve <id>}. */
        GATE,
        /** Cordon the node and evict its pods through the Kubernetes API. */
        DRAIN,
        /** Make the node schedulable again. */
        UNCORDON
    }

    public UpgradeStep {
        nodes = List.copyOf(nodes);
    }
}
