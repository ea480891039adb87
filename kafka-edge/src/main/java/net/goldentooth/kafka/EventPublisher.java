package net.goldentooth.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
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
 *
 * <p>{@link #reconnect} replaces the Kafka producer with a new one made from the same settings,
 * read again (a renewed client certificate), at a moment when nothing is in flight: every record
 * sent before is acknowledged by the old producer, every record after goes through the new one,
 * so nothing is lost and the order of records is kept.
 */
public final class EventPublisher implements AutoCloseable {

    /** How long closing a drained producer may take (it has nothing left to send). */
    private static final Duration DRAINED_CLOSE = Duration.ofSeconds(5);

    /** Makes a new producer from the settings read now; null when this publisher cannot reconnect. */
    private final Supplier<Producer<String, byte[]>> factory;
    private volatile Producer<String, byte[]> producer;
    /** Sends hold it shared; a reconnect holds it exclusively only to swap a drained producer. */
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    /** Records handed to the current producer and not yet acknowledged or failed. */
    private final AtomicLong inFlight = new AtomicLong();
    private final String source;
    private final Clock clock;

    /**
     * @param source the CloudEvents source of everything this publisher sends, e.g. {@code //provisioner}
     *               or {@code //node-agent/bettley}
     */
    public EventPublisher(String bootstrapServers, String source, Clock clock) {
        this(() -> new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, clientId(source))), source, clock);
    }

    /**
     * As {@link #EventPublisher(String, String, Clock)}, with some of {@link KafkaSettings#producer}'s
     * settings replaced (e.g. a node agent that must keep retrying through a network cut sets
     * {@code delivery.timeout.ms} to its maximum).
     */
    public EventPublisher(String bootstrapServers, String source, Clock clock, Map<String, Object> overrides) {
        this(() -> new KafkaProducer<>(withOverrides(KafkaSettings.producer(bootstrapServers, clientId(source)),
                overrides)), source, clock);
    }

    private static Properties withOverrides(Properties settings, Map<String, Object> overrides) {
        settings.putAll(overrides);
        return settings;
    }

    EventPublisher(Producer<String, byte[]> producer, String source, Clock clock) {
        this.factory = null;
        this.producer = producer;
        this.source = source;
        this.clock = clock;
    }

    /** A publisher whose producers {@code factory} makes: one now, and one at each {@link #reconnect}. */
    EventPublisher(Supplier<Producer<String, byte[]>> factory, String source, Clock clock) {
        this.factory = factory;
        this.producer = factory.get();
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
        AtomicBoolean settled = new AtomicBoolean();
        swap.readLock().lock();
        try {
            inFlight.incrementAndGet();
            try {
                producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value, recordHeaders),
                        (metadata, error) -> {
                            if (settled.compareAndSet(false, true)) {
                                inFlight.decrementAndGet();
                            }
                            if (error != null) {
                                sent.completeExceptionally(error);
                            } else {
                                sent.complete(metadata);
                            }
                        });
            } catch (RuntimeException e) {
                if (settled.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
                throw e;
            }
        } finally {
            swap.readLock().unlock();
        }
        return sent;
    }

    /**
     * Replaces the producer with a new one made from the settings as they are now (for a client
     * certificate renewed on disk: a Kafka client reads its certificate when it is made). The new
     * producer takes over at a moment when every record of the old one is acknowledged (or failed),
     * so nothing is lost or reordered; sends wait only for the swap itself, not for the drain.
     *
     * @return false, with the old producer kept and the new one discarded, when records were still
     *         in flight after {@code timeout} (a broker out of reach): the caller tries again later
     * @throws UnsupportedOperationException for a publisher made around a given producer
     * @throws RuntimeException from making the new producer (e.g. a certificate file that cannot be
     *         read); the old producer is kept
     */
    public boolean reconnect(Duration timeout) throws InterruptedException {
        if (factory == null) {
            throw new UnsupportedOperationException("this publisher was made around a given producer");
        }
        Producer<String, byte[]> fresh = factory.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Producer<String, byte[]> old = null;
            if (swap.writeLock().tryLock(50, TimeUnit.MILLISECONDS)) {
                try {
                    if (inFlight.get() == 0) {
                        old = producer;
                        producer = fresh;
                    }
                } finally {
                    swap.writeLock().unlock();
                }
            }
            if (old != null) {
                old.close(DRAINED_CLOSE);
                return true;
            }
            if (System.nanoTime() >= deadline) {
                fresh.close(Duration.ZERO);
                return false;
            }
            Thread.sleep(10);
        }
    }

    /** Records sent and not yet acknowledged or failed. */
    public long inFlight() {
        return inFlight.get();
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
