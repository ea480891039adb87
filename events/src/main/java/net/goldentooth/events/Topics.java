package net.goldentooth.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every Kafka topic of the control plane, with the partition count, clean-up policy and retention
 * it is created with. The channel name of a service equals the topic name, so these constants are
 * also the channel names in {@code application.properties} and in tests.
 */
public final class Topics {

    public static final String NODE_FACTS = "node.facts";
    public static final String JOB_REQUESTED = "job.requested";
    public static final String JOB_TASKS = "job.tasks";
    public static final String JOB_PROGRESS = "job.progress";
    public static final String JOB_STATUS = "job.status";
    public static final String CERT_REQUESTED = "cert.requested";
    /**
     * Node-routed but keyed {@code <node>|<lineage>} ({@link NodeRouting#lineageKey(String, String)}):
     * producers set the partition explicitly to {@link NodeRouting#partitionFor(String, int)} of the node.
     */
    public static final String CERT_ISSUED = "cert.issued";
    public static final String CERT_RENEWED = "cert.renewed";
    public static final String CERT_RENEWAL_FAILED = "cert.renewal-failed";
    public static final String CERT_EXPIRING = "cert.expiring";
    public static final String PKI_TRUST = "pki.trust";
    /**
     * Delete, one partition, key: the claimed token or request; a {@code PkiClaim} per enrolment token
     * a pki-service instance spends and per certificate it issues. The first claim of a key in the
     * log wins: how several pki-service instances agree.
     */
    public static final String PKI_CLAIMS = "pki.claims";
    public static final String STORAGE_SNAPSHOTS = "storage.snapshots";
    public static final String STORAGE_REPLICATION = "storage.replication";
    public static final String STORAGE_CAPACITY = "storage.capacity";
    public static final String STORAGE_SEAWEEDFS = "storage.seaweedfs";
    public static final String ALERT_STATE = "alert.state";
    /** Compacted, key: probe target name; the newest {@code ProbeResult} per target. */
    public static final String PROBE_RESULTS = "probe.results";
    /** Compacted, key: node name; the newest {@code NodeConditions} the Kubernetes API reports per node. */
    public static final String NODE_CONDITIONS = "node.conditions";
    /** Compacted, key: silence id; the newest {@code Silence} per id (expired and deleted ones included). */
    public static final String ALERT_SILENCES = "alert.silences";
    /**
     * Delete, key: node name; a {@code NodeHeartbeat} from every agent every second or two. Created
     * with {@code message.timestamp.type=LogAppendTime}: a record's timestamp is when the broker
     * appended it, which no node's clock can move, so liveness and clock offsets are measured on it.
     */
    public static final String NODE_HEARTBEAT = "node.heartbeat";
    /** Key: node name; one {@code LogEntry} per journal or file line, bounded by time and by size. */
    public static final String NODE_LOGS = "node.logs";
    /**
     * Delete, 1 partition, key: election group. Its consumer groups elect one leader per service role
     * (the member assigned partition 0 leads; kafka-edge's {@code LeaderElection}); a new leader
     * appends a {@code LeaderChange}, so the topic is also the record of every handover.
     */
    public static final String LEADERSHIP = "service.leadership";

    /** Suffix of the dead-letter topic that sits beside every consumed topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    /**
     * Partitions of the node-routed topics. An agent reads exactly one partition of these,
     * {@link NodeRouting#partitionFor(String, int)}; changing the count re-routes every node, so
     * it is fixed here rather than configurable.
     */
    public static final int NODE_ROUTED_PARTITIONS = 12;

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /** The topic setting that makes a record's timestamp the broker's append time. */
    public static final String TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String LOG_APPEND_TIME = "LogAppendTime";
    /** The topic setting that bounds each partition's size as well as its age. */
    public static final String RETENTION_BYTES = "retention.bytes";

    /**
     * How a topic is created. {@code retentionMs} of -1 means "keep forever" (compacted state).
     *
     * @param extraConfigs further topic settings, e.g. {@link #TIMESTAMP_TYPE}; empty for most topics
     */
    public record TopicSpec(String name, int partitions, boolean compacted, long retentionMs,
                            int maxMessageBytes, Map<String, String> extraConfigs) {

        public TopicSpec {
            extraConfigs = Map.copyOf(extraConfigs);
        }

        public TopicSpec(String name, int partitions, boolean compacted, long retentionMs, int maxMessageBytes) {
            this(name, partitions, compacted, retentionMs, maxMessageBytes, Map.of());
        }

        /** Dead letters keep the producer's time: what matters there is when the failure was seen. */
        public TopicSpec dlq() {
            return new TopicSpec(name + DLQ_SUFFIX, 1, false, 30 * DAY_MS, maxMessageBytes);
        }

        /** Whether record timestamps are the broker's append time. */
        public boolean logAppendTime() {
            return LOG_APPEND_TIME.equals(extraConfigs.get(TIMESTAMP_TYPE));
        }
    }

    private static final int ONE_MIB = 1 << 20;

    /** The catalogue, in the order of DESIGN.md's topic table; dead-letter topics are derived. */
    public static final List<TopicSpec> CATALOGUE = List.of(
            // Append time: a node's facts are a sign of life timed by the broker, not by the node.
            new TopicSpec(NODE_FACTS, 6, true, -1, ONE_MIB, Map.of(TIMESTAMP_TYPE, LOG_APPEND_TIME)),
            new TopicSpec(JOB_REQUESTED, 3, false, 30 * DAY_MS, ONE_MIB),
            new TopicSpec(JOB_TASKS, NODE_ROUTED_PARTITIONS, false, DAY_MS, ONE_MIB),
            new TopicSpec(JOB_PROGRESS, 6, false, 30 * DAY_MS, ONE_MIB),
            // A 10,000-target job's status is several MiB before compression.
            new TopicSpec(JOB_STATUS, 6, true, -1, 32 * ONE_MIB),
            new TopicSpec(CERT_REQUESTED, 3, false, 7 * DAY_MS, ONE_MIB),
            new TopicSpec(CERT_ISSUED, NODE_ROUTED_PARTITIONS, true, -1, ONE_MIB),
            new TopicSpec(CERT_RENEWED, 3, false, 30 * DAY_MS, ONE_MIB),
            new TopicSpec(CERT_RENEWAL_FAILED, 3, false, 30 * DAY_MS, ONE_MIB),
            new TopicSpec(CERT_EXPIRING, 3, false, 30 * DAY_MS, ONE_MIB),
            new TopicSpec(PKI_TRUST, 1, true, -1, ONE_MIB),
            // Outlives every enrolment token (1 h by default) and any redelivery of a request by far.
            new TopicSpec(PKI_CLAIMS, 1, false, 2 * DAY_MS, ONE_MIB),
            new TopicSpec(STORAGE_SNAPSHOTS, 3, true, -1, ONE_MIB),
            new TopicSpec(STORAGE_REPLICATION, 3, true, -1, ONE_MIB),
            new TopicSpec(STORAGE_CAPACITY, 3, true, -1, ONE_MIB),
            new TopicSpec(STORAGE_SEAWEEDFS, 1, true, -1, ONE_MIB),
            new TopicSpec(ALERT_STATE, 3, true, -1, ONE_MIB),
            new TopicSpec(PROBE_RESULTS, 3, true, -1, ONE_MIB),
            new TopicSpec(NODE_CONDITIONS, 3, true, -1, ONE_MIB),
            new TopicSpec(ALERT_SILENCES, 1, true, -1, ONE_MIB),
            // A monitor restart re-reads the last minutes only; ten-minute segments let an hour's
            // retention actually delete (the default segment of a week would hold days of beats).
            new TopicSpec(NODE_HEARTBEAT, 6, false, Duration.ofHours(1).toMillis(), 64 * 1024,
                    Map.of(TIMESTAMP_TYPE, LOG_APPEND_TIME, "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis()))),
            // 7 days as the seed set its journals, and at most 1 GiB a partition (12 GiB a replica, about
            // a Pi's share of the seed's 4 GB journals before its retention): whichever bound comes first.
            new TopicSpec(NODE_LOGS, NODE_ROUTED_PARTITIONS, false, 7 * DAY_MS, ONE_MIB,
                    Map.of(RETENTION_BYTES, Long.toString(1L << 30))),
            // One partition: its single owner in each group is that group's leader.
            new TopicSpec(LEADERSHIP, 1, false, 30 * DAY_MS, 64 * 1024));

    /** The catalogue plus one dead-letter topic for each entry. */
    public static List<TopicSpec> allWithDeadLetters() {
        return CATALOGUE.stream().flatMap(t -> java.util.stream.Stream.of(t, t.dlq())).toList();
    }

    /** The partition count the catalogue gives {@code topic}; an unknown topic is an error naming it. */
    public static int partitionsOf(String topic) {
        return CATALOGUE.stream().filter(t -> t.name().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic '" + topic + "' in the catalogue"))
                .partitions();
    }

    public static String deadLetterOf(String topic) {
        return topic + DLQ_SUFFIX;
    }

    private Topics() {
    }
}
