package net.goldentooth.provisioner.haproxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Kubernetes API load balancer, {@code goldentooth.provisioner.haproxy.*}. */
@ConfigMapping(prefix = "goldentooth.provisioner.haproxy")
public interface HaproxyConfig {

    /** Inventory group whose hosts are the Kubernetes API servers (the backends). */
    @WithDefault("k8s_control_plane")
    String controlPlaneGroup();

    /** Inventory group whose first host runs HAProxy; the API frontend binds its address. */
    @WithDefault("haproxy")
    String balancerGroup();

    /** The API servers' port, and the frontend's. */
    @WithDefault("6443")
    int apiPort();

    /** Port of the HAProxy stats page. */
    @WithDefault("8404")
    int statsPort();
}
