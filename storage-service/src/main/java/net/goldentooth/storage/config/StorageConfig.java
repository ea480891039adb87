package net.goldentooth.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The storage-service's settings, {@code goldentooth.storage.*}. Kafka is {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "goldentooth.storage")
public interface StorageConfig {

    /** sanoid.conf with the snapshot policy of each dataset; a missing file means no datasets, an invalid one fails start-up. */
    @WithDefault("/etc/sanoid/sanoid.conf")
    Path sanoidConfig();

    /** The Ansible YAML inventory: the ZFS group gives the replication topology, all hosts are NFS clients. */
    @WithDefault("/etc/goldentooth/inventory.yaml")
    Path inventory();

    /** Inventory group whose first host owns the datasets and replicates to the others (the seed's hub-and-spoke). */
    @WithDefault("zfs")
    String zfsGroup();

    /** Overrides the source node (else the first host of the ZFS group), e.g. this machine's node name for a local pool. */
    Optional<String> source();

    /** Overrides the replication targets (else the other hosts of the ZFS group). */
    Optional<List<String>> targets();

    /** Targets receive into this pool instead of the source's pool name (two pools on one machine). */
    Optional<String> targetPool();

    /** {@code jobs}: every command is a job through the provisioner; {@code local}: run on this machine (tests, a lone box). */
    @WithDefault("jobs")
    ShellKind shell();

    /** How the source reaches a target's zfs receive: {@code ssh} (with {@code ssh.*}), or {@code local} (one machine, a pipe). */
    @WithDefault("ssh")
    TransportKind transport();

    /** The SSH transport: paths are on the source node, which runs {@code ssh}. */
    Ssh ssh();

    interface Ssh {
        /** Login name on the targets; the user certificate must carry it as a principal (the seed's root certificate). */
        @WithDefault("root")
        String user();

        /**
         * Private key of the SSH user certificate: where the node agent keeps root's key,
         * {@code <agent state-dir>/ssh/root_ed25519} (the agent's default state dir is
         * {@code /var/lib/goldentooth}); set it when the agent's state dir differs.
         */
        @WithDefault("/var/lib/goldentooth/agent/ssh/root_ed25519")
        Path identity();

        /**
         * The OpenSSH user certificate of that key (principals {@code root} and {@code <node>-root}),
         * signed by the PKI's user CA and renewed by the node agent beside the key.
         */
        @WithDefault("/var/lib/goldentooth/agent/ssh/root_ed25519-cert.pub")
        Path certificate();

        /**
         * known_hosts verifying the targets' host keys: an {@code @cert-authority *} line with the
         * PKI's SSH host CA key, or pinned host keys. Host keys are always verified.
         */
        @WithDefault("/etc/goldentooth/ssh_known_hosts")
        Path knownHosts();

        /** sshd port on the targets. */
        @WithDefault("22")
        int port();
    }

    /** Time zone of snapshot names and preferred times (sanoid uses the node's local time). */
    @WithDefault("UTC")
    String zone();

    /** Run snapshots and replication on a timer; off, they run only when asked over REST. */
    @WithDefault("true")
    boolean schedulerEnabled();

    /**
     * The election among storage-service instances (a consumer group on {@code service.leadership}):
     * only its leader runs snapshots, pruning and replication, on the timer or over REST.
     */
    @WithDefault("storage-planner")
    String plannerGroup();

    /** How often snapshots are taken and pruned (sanoid's timer runs every 15 minutes). */
    @WithDefault("15m")
    Duration snapshotInterval();

    /** How often each target is replicated (the seed's syncoid timer: every 15 minutes). */
    @WithDefault("15m")
    Duration replicationInterval();

    /** Random delay added to each replication run (the seed's RandomizedDelaySec=60). */
    @WithDefault("60s")
    Duration replicationJitter();

    /** Run time limit of one command on a node (a send can be long). */
    @WithDefault("1h")
    Duration commandTimeout();

    /**
     * NFS exports, {@code server:/path clients(options)} separated by {@code ;}; the default is the
     * seed's two exports.
     */
    @WithDefault("allyrion:/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check);velaryon:/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)")
    String nfsExports();

    /** Inventory group whose hosts get the NFS client mount and automount units. */
    @WithDefault("all")
    String nfsClientGroup();

    /** A filesystem this full (percent used, from node.facts) is a storage.capacity warning. */
    @WithDefault("80")
    double capacityWarningPercent();

    /** A filesystem this full is critical. */
    @WithDefault("90")
    double capacityCriticalPercent();

    /** SeaweedFS master URLs to poll ({@code http://10.4.0.22:9333,...}); none: no polling. */
    Optional<List<String>> seaweedfsMasters();

    /** How often the SeaweedFS masters are asked for /cluster/status and /dir/status. */
    @WithDefault("30s")
    Duration seaweedfsPollInterval();

    /** The directory holding {@code master/} and {@code data/} on SeaweedFS hosts (the seed's Pi 5 NVMe mount). */
    @WithDefault("/mnt/seaweedfs-nvme")
    String seaweedfsDataDir();

    enum ShellKind { JOBS, LOCAL }

    enum TransportKind { SSH, LOCAL }
}
