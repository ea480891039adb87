package net.goldentooth.kafka;

import java.util.Map;

/**
 * A decoded record as handlers see it.
 *
 * @param headers the record's headers as UTF-8 strings ({@code ce_id}, {@code ce_type}, ...)
 */
public record Delivery<T>(String topic, int partition, long offset, String key, T event,
                          Map<String, String> headers) {

    /** The CloudEvents id, the handlers' deduplication key where the event has no id of its own. */
    public String eventId() {
        return headers.get(net.goldentooth.events.CloudEventHeaders.ID);
    }
}
