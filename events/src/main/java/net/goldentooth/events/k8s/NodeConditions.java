package net.goldentooth.events.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What the Kubernetes API server says about one node, on the compacted {@code node.conditions}
 * topic (key: the node name). The provisioner watches the cluster's nodes and publishes on every
 * change and again at a fixed period, so the newest record per node is its current state. It is a
 * second liveness signal beside the agent's {@code node.facts}: the kubelet can be up when the agent
 * is not, and the other way round.
 *
 * @param node           the node name, equal to the inventory host name (the record key)
 * @param observedAt     when the provisioner read this state from the API server
 * @param ready          the {@code Ready} condition is {@code True}
 * @param conditions     every condition the node reports ({@code Ready}, {@code MemoryPressure}, ...)
 * @param unschedulable  the node is cordoned ({@code spec.unschedulable})
 * @param taints         the node's taints, in the API server's order
 * @param kubeletVersion {@code status.nodeInfo.kubeletVersion}, e.g. {@code v1.32.3}; null if unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConditions(
        String node,
        Instant observedAt,
        boolean ready,
        List<Condition> conditions,
        boolean unschedulable,
        List<Taint> taints,
        String kubeletVersion) {

    public NodeConditions {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /**
     * One node condition as the API server reports it.
     *
     * @param type               e.g. {@code Ready}, {@code DiskPressure}
     * @param status             {@code True}, {@code False} or {@code Unknown}
     * @param reason             a CamelCase reason, e.g. {@code KubeletReady}; null if absent
     * @param message            the human-readable detail; null if absent
     * @param lastTransitionTime when the status last changed; null if absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String type, String status, String reason, String message,
                            Instant lastTransitionTime) {
    }

    /**
     * One taint, e.g. {@code gpu=true:NoSchedule}.
     *
     * @param key    the taint key
     * @param value  the value; null for a key-only taint
     * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Taint(String key, String value, String effect) {
    }
}
