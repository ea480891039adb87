package net.goldentooth.agent.services;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The health checks of the systems this node runs, under {@code goldentooth.agent.services.*}.
 * Which checks run is the node's inventory groups: the Ansible role {@code setup_node_agent} renders
 * {@code checks} from {@code group_names} (a node in {@code slurm_compute} gets {@code slurmd}, in
 * {@code consul_server} {@code consul}; see {@code goldentooth_agent_service_checks_by_group}).
 * Each check is one facts collector with the collector timeout.
 */
@ConfigMapping(prefix = "goldentooth.agent.services")
public interface ServicesConfig {

    /** The checks to run: slurmd, haproxy, consul, vault, nomad, kubelet, ports; default none (no services section). */
    Optional<List<String>> checks();

    /** Slurm's node check. */
    Slurm slurm();

    /** HAProxy's stats socket. */
    Haproxy haproxy();

    /** The Consul server check. */
    Consul consul();

    /** The Vault seal check. */
    Vault vault();

    /** The Nomad client check. */
    Nomad nomad();

    /** The kubelet's health endpoint. */
    Kubelet kubelet();

    /**
     * Ports other services of this node need, {@code <port>=<command>} ({@code 9100=node_exporter}: the
     * command name in {@code /proc/<pid>/comm} that should hold it); the agent's own HTTP port is
     * always watched. Default none.
     */
    Optional<List<String>> ports();

    interface Slurm {
        /** The scontrol command (with options before {@code show node}). */
        @WithDefault("scontrol")
        List<String> scontrol();
    }

    interface Haproxy {
        /** HAProxy's stats socket ({@code stats socket} in haproxy.cfg), readable by the agent. */
        @WithDefault("/run/haproxy/admin.sock")
        Path statsSocket();
    }

    interface Consul {
        /** The local agent's HTTP API. */
        @WithDefault("http://127.0.0.1:8500")
        String address();

        /** Consul's {@code data_dir}, where {@code server_metadata.json} is kept. */
        @WithDefault("/opt/consul")
        Path dataDir();

        /** Consul's {@code server_rejoin_age_max}; the check warns at half of it. */
        @WithDefault("168h")
        Duration rejoinAgeMax();
    }

    interface Vault {
        /** Vault's API on this node. */
        @WithDefault("https://127.0.0.1:8200")
        String address();

        /** PEM CA certificates Vault's certificate chains to (the cluster's root); default the JDK's CAs. */
        Optional<Path> caFile();
    }

    interface Nomad {
        /** The local Nomad agent's HTTP API. */
        @WithDefault("http://127.0.0.1:4646")
        String address();
    }

    interface Kubelet {
        /** The kubelet's healthz endpoint. */
        @WithDefault("http://127.0.0.1:10248/healthz")
        String healthz();
    }

    /** Every check name {@code checks} may hold. */
    List<String> KNOWN = List.of("slurmd", "haproxy", "consul", "vault", "nomad", "kubelet", "ports");

    /** The checks as configured, each name known and once. */
    static List<String> validated(List<String> names) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.strip();
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("goldentooth.agent.services.checks: unknown check '" + name
                        + "', expected some of " + String.join(", ", KNOWN));
            }
            seen.add(name);
        }
        return List.copyOf(seen);
    }
}
