package net.goldentooth.provisioner.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Kubernetes operations, {@code goldentooth.provisioner.k8s.*}. The API server and credentials are
 * the fabric8 client's ({@code quarkus.kubernetes-client.*}, else {@code ~/.kube/config} or the
 * in-cluster service account).
 */
@ConfigMapping(prefix = "goldentooth.provisioner.k8s")
public interface K8sConfig {

    /** Poll the cluster's nodes and publish their conditions on node.conditions; off where there is no cluster. */
    @WithDefault("false")
    boolean conditionsEnabled();

    /** How often nodes are polled; a node's conditions are also published at least this often. */
    @WithDefault("15s")
    Duration conditionsInterval();

    /** Inventory group of the control-plane nodes; the upgrade takes its first host as the first control plane. */
    @WithDefault("k8s_control_plane")
    String controlPlaneGroup();

    /** How long a drain waits for evictions that a PodDisruptionBudget refuses, when the caller names no timeout. */
    @WithDefault("5m")
    Duration drainTimeout();

    /** Pause between eviction retries while a PodDisruptionBudget refuses (HTTP 429). */
    @WithDefault("2s")
    Duration evictionRetry();

    /** Time limit of one node-level step of the upgrade (a command_root job). */
    @WithDefault("30m")
    Duration upgradeStepTimeout();

    /** Time limit of the whole upgrade job, the manual gate included, when the request names none. */
    @WithDefault("24h")
    Duration upgradeTimeout();
}
