package net.goldentooth.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.PkiClaim;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.events.probe.ProbeResult;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SeaweedStatus;
import net.goldentooth.events.storage.SnapshotRun;

/**
 * The one JSON codec of the contract. Unknown fields are ignored (changes are additive), times
 * are ISO-8601 strings, and map keys are written in sorted order so equal events encode to equal
 * bytes.
 */
public final class EventCodec {

    /** The record type carried by each topic that has one. */
    public static final Map<String, Class<?>> TOPIC_TYPES = Map.ofEntries(
            Map.entry(Topics.NODE_FACTS, NodeFacts.class),
            Map.entry(Topics.JOB_REQUESTED, JobRequest.class),
            Map.entry(Topics.JOB_TASKS, SignedTask.class),
            Map.entry(Topics.JOB_PROGRESS, JobProgress.class),
            Map.entry(Topics.ALERT_STATE, AlertState.class),
            Map.entry(Topics.JOB_STATUS, JobStatus.class),
            Map.entry(Topics.STORAGE_SNAPSHOTS, SnapshotRun.class),
            Map.entry(Topics.STORAGE_REPLICATION, ReplicationStatus.class),
            Map.entry(Topics.STORAGE_CAPACITY, CapacityStatus.class),
            Map.entry(Topics.STORAGE_SEAWEEDFS, SeaweedStatus.class),
            Map.entry(Topics.CERT_REQUESTED, CertRequest.class),
            Map.entry(Topics.CERT_ISSUED, CertIssued.class),
            Map.entry(Topics.CERT_RENEWED, CertRenewed.class),
            Map.entry(Topics.CERT_RENEWAL_FAILED, CertRenewalFailed.class),
            Map.entry(Topics.CERT_EXPIRING, CertExpiring.class),
            Map.entry(Topics.PKI_TRUST, TrustBundle.class),
            Map.entry(Topics.PKI_CLAIMS, PkiClaim.class),
            Map.entry(Topics.PROBE_RESULTS, ProbeResult.class),
            Map.entry(Topics.NODE_CONDITIONS, NodeConditions.class),
            Map.entry(Topics.ALERT_SILENCES, Silence.class),
            Map.entry(Topics.NODE_HEARTBEAT, NodeHeartbeat.class),
            Map.entry(Topics.NODE_LOGS, LogEntry.class),
            Map.entry(Topics.LEADERSHIP, net.goldentooth.events.leadership.LeaderChange.class));

    private static final ObjectMapper MAPPER = newMapper();

    /** A mapper with the contract's settings, for edges (REST, tests) that need one. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("goldentooth-utc-instants").addDeserializer(Instant.class, new UtcInstants()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object event) {
        try {
            return MAPPER.writeValueAsBytes(Objects.requireNonNull(event, "event"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(Object event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Decodes a payload; anything that is not a valid {@code type} is a {@link PoisonMessageException}. */
    public static <T> T decode(byte[] payload, Class<T> type) {
        if (payload == null || payload.length == 0) {
            throw new PoisonMessageException("empty payload, expected " + type.getSimpleName());
        }
        try {
            T value = MAPPER.readValue(payload, type);
            if (value == null) {
                throw new PoisonMessageException("null payload, expected " + type.getSimpleName());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonMessageException poison) {
                throw poison;
            }
            throw new PoisonMessageException("not a valid " + type.getSimpleName() + ": " + firstLine(e), e);
        }
    }

    public static <T> T decode(String payload, Class<T> type) {
        return decode(payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), type);
    }

    /**
     * Decodes a record from {@code topic}, checking its {@code ce_type} header when present: a
     * record of another type on the topic is poison, not something to guess at.
     */
    public static <T> T decodeFromTopic(String topic, String ceType, byte[] payload, Class<T> type) {
        if (ceType != null && !ceType.equals(CloudEventHeaders.typeOf(topic))) {
            throw new PoisonMessageException("unknown event type '" + ceType + "' on " + topic
                    + ", expected " + CloudEventHeaders.typeOf(topic));
        }
        return decode(payload, type);
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The task inside a signed record, decoded from the exact bytes that were signed. */
    public static Task taskOf(SignedTask signed) {
        return decode(signed.payload(), Task.class);
    }

    private EventCodec() {
    }
}
