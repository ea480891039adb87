package net.goldentooth.monitor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The monitor's settings, {@code goldentooth.monitor.*}. Kafka is {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "goldentooth.monitor")
public interface MonitorConfig {

    /** Ansible YAML inventory: node addresses to probe and groups for group-limited rules. Absent: no inventory. */
    Optional<Path> inventory();

    /** How often agents publish facts. */
    @WithDefault("15s")
    Duration factsInterval();

    /**
     * A node that does not beat (only facts) is down once its newest facts were appended to the bus
     * this many intervals ago (bus time; never the agent's own collectedAt).
     */
    @WithDefault("3")
    int missedIntervals();

    /**
     * A node that beats is down once it has been silent for this many of its own heartbeat intervals
     * (bus time). At the agents' 1 s: 6 s, so a 3 s stall passes and detection stays well inside 10 s.
     */
    @WithDefault("6")
    int missedHeartbeats();

    /** How often the monitor sends its own beat; its acknowledgements give bus time and show the bus up. */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /**
     * No acknowledgement of the monitor's own beat for this long: the bus is down (one BusDown alert,
     * node verdicts held). Shorter than a node's silence window, so the bus is blamed first.
     */
    @WithDefault("3s")
    Duration busTimeout();

    /**
     * The agents' HTTP port, probed (tcp) on each inventory node: an agent that answers while its
     * records do not arrive is partitioned from the bus. 0: not probed.
     */
    @WithDefault("9110")
    int agentProbePort();

    /** A node that was down is up again only after its records have flowed without a gap this long. */
    @WithDefault("30s")
    Duration holdDown();

    /**
     * Consumer threads reading node.facts, each on its own share of the topic's partitions: decoding
     * is most of a fact's cost, so it runs in parallel while the fold stays serialised (a node's facts
     * are in one partition, so their order is kept). At most the topic's partition count.
     */
    @WithDefault("2")
    int factsConsumers();

    /**
     * A Kubernetes node condition (node.conditions, from the provisioner) read longer ago than this no
     * longer tells agent-down from node-down. The provisioner polls every 15 s: this is four polls.
     */
    @WithDefault("1m")
    Duration nodeConditionsFreshness();

    /** How often rules are evaluated. */
    @WithDefault("1s")
    Duration evaluationInterval();

    /** How often the per-node Prometheus gauges are refreshed (every series is rebuilt, so not on every evaluation). */
    @WithDefault("10s")
    Duration metricsInterval();

    /** TCP port probed on each inventory node to tell agent-down from node-down; 0 uses ICMP (ping -c1 -W1). */
    @WithDefault("22")
    int livenessProbePort();

    /** How often probes run. */
    @WithDefault("10s")
    Duration probeInterval();

    /** Longest time between two {@code probe.results} events of an unchanged probe target. */
    @WithDefault("5m")
    Duration probeRepublish();

    /** Connect/answer timeout of one probe. */
    @WithDefault("2s")
    Duration probeTimeout();

    /** PEM bundle of the CA roots https probes validate chains against (pki-service's root). Absent: the JVM trust store. */
    Optional<Path> probeCaFile();

    /** Extra probes, each {@code name=kind://host:port[/path]} with kind tcp, http, https, icmp (icmp://host) or dns (dns://name). Absent: none. */
    Optional<List<String>> probes();

    /** An extra rule file beside the shipped rules; re-read when it changes; a broken file keeps the previous rules. Absent: none. */
    Optional<Path> extraRules();

    /** Alertmanager base URL (e.g. http://127.0.0.1:9093); firing and resolved alerts are POSTed to /api/v2/alerts. Absent: no delivery. */
    Optional<String> alertmanagerUrl();

    /** How often the current firing and recently resolved alerts are re-sent to Alertmanager. */
    @WithDefault("30s")
    Duration alertmanagerResend();

    /**
     * The election among monitors (a consumer group on {@code service.leadership}): of the monitors
     * sharing it, only the leader delivers to Alertmanager. Monitors of two separate clusters on one
     * Kafka need two groups.
     */
    @WithDefault("monitor-delivery")
    String deliveryGroup();

    /** How long a resolved alert stays listed and is re-sent as resolved. */
    @WithDefault("15m")
    Duration resolvedRetention();

    /** How much temperature and load history each node keeps in memory for the dashboard chart. */
    @WithDefault("1h")
    Duration history();

    /** How many recent jobs the dashboard lists. */
    @WithDefault("20")
    int recentJobs();

    /**
     * The provisioner's REST API as the operator's browser reaches it: the dashboard's run, job and
     * node pages call it directly with the operator's token (the provisioner allows the dashboard's
     * origin by CORS). Unset, those pages say the provisioner is not configured.
     */
    java.util.Optional<String> provisionerUrl();
}
