package net.goldentooth.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * CloudEvents 1.0 binary-mode headers for Kafka: the payload is the JSON event and the metadata
 * travels as {@code ce_*} headers. Kept free of Kafka classes; edges copy the map into record
 * headers.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    /** Headers added to a dead-lettered record. */
    public static final String DLQ_ERROR = "dlq_error";
    public static final String DLQ_TOPIC = "dlq_topic";
    public static final String DLQ_PARTITION = "dlq_partition";
    public static final String DLQ_OFFSET = "dlq_offset";

    /** {@code net.goldentooth.<topic>.v1}. */
    public static String typeOf(String topic) {
        return "net.goldentooth." + topic + ".v1";
    }

    /** Headers for a new event on {@code topic} from {@code source} (e.g. {@code //provisioner}). */
    public static Map<String, byte[]> forEvent(String topic, String source, Instant time) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, bytes("1.0"));
        headers.put(ID, bytes(UUID.randomUUID().toString()));
        headers.put(TYPE, bytes(typeOf(topic)));
        headers.put(SOURCE, bytes(source));
        headers.put(TIME, bytes(time.toString()));
        headers.put(CONTENT_TYPE, bytes("application/json"));
        return headers;
    }

    /** Headers for a record that could not be handled: why, and where it came from. */
    public static Map<String, byte[]> forDeadLetter(String topic, int partition, long offset, String error) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(DLQ_ERROR, bytes(error));
        headers.put(DLQ_TOPIC, bytes(topic));
        headers.put(DLQ_PARTITION, bytes(Integer.toString(partition)));
        headers.put(DLQ_OFFSET, bytes(Long.toString(offset)));
        return headers;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private CloudEventHeaders() {
    }
}
