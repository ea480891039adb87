package net.goldentooth.monitor.export;

import java.util.List;

/**
 * Every metric the monitor exports for Prometheus and Grafana. The exported rule file and the
 * dashboards may name only these; tests check both against this list and against {@code /q/metrics}.
 */
public final class MetricNames {

    public static final String NODE_UP = "goldentooth_node_up";
    public static final String NODE_FACTS_AGE = "goldentooth_node_facts_age_seconds";
    public static final String NODE_GROUP = "goldentooth_node_group";
    public static final String NODE_CPU_TEMPERATURE = "goldentooth_node_cpu_temperature_celsius";
    public static final String NODE_LOAD1 = "goldentooth_node_load1";
    public static final String NODE_MEMORY_AVAILABLE_RATIO = "goldentooth_node_memory_available_ratio";
    public static final String NODE_CLOCK_OFFSET = "goldentooth_node_clock_offset_seconds";
    public static final String NODE_FILESYSTEM_USED_RATIO = "goldentooth_node_filesystem_used_ratio";
    public static final String NODE_SWAP_TOTAL_BYTES = "goldentooth_node_swap_total_bytes";
    public static final String NODE_NTP_SYNCED = "goldentooth_node_ntp_synced";
    public static final String NODE_DEFAULT_ROUTE_INFO = "goldentooth_node_default_route_info";
    public static final String NODE_THROTTLED = "goldentooth_node_throttled";
    /** The node's clock minus bus time, measured on its heartbeats (signed: positive is ahead). */
    public static final String NODE_BUS_CLOCK_OFFSET = "goldentooth_node_bus_clock_offset_seconds";
    /** How far the measured offset may be wrong (half the best round trip); absent for the monitor's one-sided bound. */
    public static final String NODE_BUS_CLOCK_OFFSET_ERROR = "goldentooth_node_bus_clock_offset_error_seconds";
    /** 1 while the monitor's own beats are acknowledged by the bus, 0 while not. */
    public static final String BUS_UP = "goldentooth_bus_up";
    /** Lines of a log-match condition ({@code match} = its id) per node within the condition's window. */
    public static final String LOG_MATCHES = "goldentooth_log_matches";
    public static final String CERT_EXPIRY_TIER = "goldentooth_cert_expiry_tier";
    public static final String CERT_NOT_AFTER = "goldentooth_cert_not_after_timestamp_seconds";
    public static final String CERT_LIFETIME = "goldentooth_cert_lifetime_seconds";
    public static final String CERT_RENEWAL_FAILING = "goldentooth_cert_renewal_failing";
    public static final String PROBE_SUCCESS = "goldentooth_probe_success";
    public static final String PROBE_DURATION = "goldentooth_probe_duration_seconds";
    public static final String PROBE_TLS_LEAF_NOT_AFTER = "goldentooth_probe_tls_leaf_not_after_timestamp_seconds";
    public static final String REPLICATION_DIVERGED = "goldentooth_replication_diverged";
    public static final String REPLICATION_LAG = "goldentooth_replication_lag_seconds";
    public static final String STORAGE_CAPACITY_LEVEL = "goldentooth_storage_capacity_level";
    public static final String ALERTS = "goldentooth_alerts";
    public static final String SERVICE_CHECK_STATE = "goldentooth_service_check_state";
    public static final String SLURM_MEMORY_EXCESS = "goldentooth_slurm_memory_excess_bytes";
    public static final String HAPROXY_BACKEND_SERVERS = "goldentooth_haproxy_backend_servers";
    public static final String HAPROXY_BACKEND_SERVERS_UP = "goldentooth_haproxy_backend_servers_up";
    public static final String CONSUL_LAST_SEEN = "goldentooth_consul_last_seen_timestamp_seconds";
    public static final String PORT_HELD_BY_OTHER = "goldentooth_port_held_by_other";
    public static final String DATA_ERRORS = "goldentooth_monitor_data_errors_total";
    public static final String FACTS_INGESTED = "goldentooth_monitor_facts_ingested_total";
    public static final String DEAD_LETTERS = "goldentooth_monitor_dead_letters_total";
    public static final String RULE_FILE_ERRORS = "goldentooth_monitor_rule_file_errors_total";

    public static final List<String> ALL = List.of(NODE_UP, NODE_FACTS_AGE, NODE_GROUP, NODE_CPU_TEMPERATURE, NODE_LOAD1,
            NODE_MEMORY_AVAILABLE_RATIO, NODE_CLOCK_OFFSET, NODE_FILESYSTEM_USED_RATIO, NODE_SWAP_TOTAL_BYTES,
            NODE_NTP_SYNCED, NODE_DEFAULT_ROUTE_INFO, NODE_THROTTLED, CERT_EXPIRY_TIER, CERT_NOT_AFTER, CERT_LIFETIME,
            CERT_RENEWAL_FAILING, PROBE_SUCCESS, PROBE_DURATION, PROBE_TLS_LEAF_NOT_AFTER, REPLICATION_DIVERGED,
            REPLICATION_LAG, STORAGE_CAPACITY_LEVEL, ALERTS, DATA_ERRORS,
            FACTS_INGESTED, DEAD_LETTERS, RULE_FILE_ERRORS, NODE_BUS_CLOCK_OFFSET, NODE_BUS_CLOCK_OFFSET_ERROR, BUS_UP,
            SERVICE_CHECK_STATE, SLURM_MEMORY_EXCESS, HAPROXY_BACKEND_SERVERS, HAPROXY_BACKEND_SERVERS_UP, CONSUL_LAST_SEEN,
            PORT_HELD_BY_OTHER, LOG_MATCHES);

    private MetricNames() {
    }
}
