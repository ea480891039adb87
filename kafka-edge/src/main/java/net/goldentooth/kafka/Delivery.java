package net.goldentooth.kafka;

import java.time.Instant;
import java.util.Map;

/**
 * A decoded record as handlers see it.
 *
 * @param headers       the record's headers as UTF-8 strings ({@code ce_id}, {@code ce_type}, ...)
 * @param timestamp     the record's Kafka timestamp; null where unknown
 * @param logAppendTime the timestamp is the broker's append time (the topic has
 *                      {@code message.timestamp.type=LogAppendTime}), not whatever the producer's clock said
 */
public record Delivery<T>(String topic, int partition, long offset, String key, T event,
                          Map<String, String> headers, Instant timestamp, boolean logAppendTime) {

    public Delivery(String topic, int partition, long offset, String key, T event, Map<String, String> headers) {
        this(topic, partition, offset, key, event, headers, null, false);
    }

    /** The CloudEvents id, the handlers' deduplication key where the event has no id of its own. */
    public String eventId() {
        return headers.get(net.goldentooth.events.CloudEventHeaders.ID);
    }

    /** The broker's append time, or null when the record's timestamp is the producer's own. */
    public Instant appendedAt() {
        return logAppendTime ? timestamp : null;
    }
}
