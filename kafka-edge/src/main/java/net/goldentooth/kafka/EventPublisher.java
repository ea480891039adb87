package net.goldentooth.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Encodes {@code events} records and sends them with CloudEvents binary-mode headers. One per
 * process is enough: the Kafka producer is thread-safe and batches across callers.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String source;
    private final Clock clock;

    /**
     * @param source the CloudEvents source of everything this publisher sends, e.g. {@code //provisioner}
     *               or {@code //node-agent/bettley}
     */
    public EventPublisher(String bootstrapServers, String source, Clock clock) {
        this(new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, clientId(source))), source, clock);
    }

    /**
     * As {@link #EventPublisher(String, String, Clock)}, with some of {@link KafkaSettings#producer}'s
     * settings replaced (e.g. a node agent that must keep retrying through a network cut sets
     * {@code delivery.timeout.ms} to its maximum).
     */
    public EventPublisher(String bootstrapServers, String source, Clock clock, Map<String, Object> overrides) {
        this(new KafkaProducer<>(withOverrides(KafkaSettings.producer(bootstrapServers, clientId(source)), overrides)),
                source, clock);
    }

    private static Properties withOverrides(Properties settings, Map<String, Object> overrides) {
        settings.putAll(overrides);
        return settings;
    }

    EventPublisher(Producer<String, byte[]> producer, String source, Clock clock) {
        this.producer = producer;
        this.source = source;
        this.clock = clock;
    }

    /** Sends {@code event} to {@code topic}; the future completes when the broker has it (acks=all). */
    public CompletableFuture<RecordMetadata> publish(String topic, String key, Object event) {
        return publishRaw(topic, key, EventCodec.encode(event),
                CloudEventHeaders.forEvent(topic, source, clock.instant()));
    }

    /**
     * Sends {@code event} to an explicit {@code partition}, for topics whose key is not what routes
     * them ({@code cert.issued} is keyed per lineage but routed by node, see
     * {@link net.goldentooth.events.NodeRouting}).
     */
    public CompletableFuture<RecordMetadata> publish(String topic, int partition, String key, Object event) {
        return send(topic, partition, key, EventCodec.encode(event),
                CloudEventHeaders.forEvent(topic, source, clock.instant()), null);
    }

    /**
     * Sends {@code event} with the record timestamp set to {@code recordTimestamp}. On a topic with
     * {@code LogAppendTime} the broker replaces it with its append time, which the returned metadata
     * carries; a metadata timestamp equal to the one sent means the topic kept the producer's time.
     */
    public CompletableFuture<RecordMetadata> publishStamped(String topic, String key, Object event,
                                                            Instant recordTimestamp) {
        return send(topic, null, key, EventCodec.encode(event),
                CloudEventHeaders.forEvent(topic, source, clock.instant()), recordTimestamp.toEpochMilli());
    }

    /** Sends bytes as they are (dead letters, tests). */
    public CompletableFuture<RecordMetadata> publishRaw(String topic, String key, byte[] value,
                                                        Map<String, byte[]> headers) {
        return send(topic, null, key, value, headers, null);
    }

    private CompletableFuture<RecordMetadata> send(String topic, Integer partition, String key, byte[] value,
                                                   Map<String, byte[]> headers, Long timestamp) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach(recordHeaders::add);
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value, recordHeaders), (metadata, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
            } else {
                sent.complete(metadata);
            }
        });
        return sent;
    }

    /** Blocks until everything sent so far is acknowledged or has failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Closes, giving up on records still unacknowledged after {@code timeout} (a producer cut off from the broker). */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    private static String clientId(String source) {
        return source.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+", "");
    }
}
