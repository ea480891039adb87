package net.goldentooth.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.Topics;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * One thread that reads a topic, decodes each record into {@code T} and hands it to a handler.
 * A record that cannot be decoded, has a foreign {@code ce_type}, or makes the handler throw goes
 * to {@code <topic>.dlq} with the reason in its headers; the loop goes on with the next record.
 * Offsets are committed after each batch has been handled and {@link Builder#afterBatch} has run
 * (and, when set, {@link Builder#commitWhen} agrees), so a crash redelivers rather than loses
 * (handlers are idempotent).
 *
 * <p>{@link #reconnect} makes the loop replace its Kafka consumer, between two batches, with a new
 * one made from the settings read again (a renewed client certificate), positioned where the old
 * one was: no record is skipped and none is handled again.
 */
public final class ConsumerLoop<T> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    /** How long a stop waits for the consumer to leave its group and close its fetch session. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);

    /** Handles one decoded record; any exception dead-letters the record with the exception's message. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(Delivery<T> delivery) throws Exception;
    }

    /** Told about every dead-lettered record, for a counter. */
    @FunctionalInterface
    public interface DeadLetterListener {
        void deadLettered(String topic, String reason);
    }

    /**
     * Told, on the loop's thread and inside its poll, when the group moves partitions of a
     * subscribing loop. {@code revoked} runs before the loop commits what it handled of them (when
     * {@link Builder#commitWhen} agrees), so it can flush what those records produced; {@code lost}
     * means the member was already out of the group (session expired): another member may own the
     * partitions, and nothing of them can be committed. An exception from {@code assigned} fails the
     * poll; the listener must not return from {@code assigned} before it can handle the partitions.
     */
    public interface RebalanceListener {
        void assigned(Collection<Integer> partitions);

        void revoked(Collection<Integer> partitions);

        void lost(Collection<Integer> partitions);
    }

    /** Where reading begins when the group has no committed offset (or there is no group). */
    public enum Start { EARLIEST, LATEST }

    private final Builder<T> config;
    /** Replaced only by the loop's thread; volatile for {@link #close()}'s wakeup. */
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** A reconnect asked for and not yet done by the loop's thread. */
    private final AtomicReference<CompletableFuture<Void>> reconnectAsked = new AtomicReference<>();
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicLong handledCount = new AtomicLong();
    private final AtomicLong deadLetterCount = new AtomicLong();
    private volatile boolean running = true;
    /** Records were handled since the last commit (only the loop's thread touches it). */
    private boolean uncommitted;

    private ConsumerLoop(Builder<T> config) {
        this.config = config;
        this.consumer = newConsumer();
        this.thread = new Thread(this::run, "consume-" + config.topic);
        this.thread.setDaemon(true);
    }

    /** A consumer with this loop's settings, the security files read now. */
    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = new LinkedHashMap<>();
        KafkaSettings.consumer(config.bootstrapServers, config.groupId, config.clientId)
                .forEach((k, v) -> props.put((String) k, v));
        props.put("auto.offset.reset", config.start == Start.EARLIEST ? "earliest" : "latest");
        if (config.instanceId != null) {
            props.put("group.instance.id", config.instanceId);
        }
        if (config.fetchMaxWait != null) {
            props.put("fetch.max.wait.ms", Long.toString(config.fetchMaxWait.toMillis()));
        }
        return new KafkaConsumer<>(props);
    }

    public static <T> Builder<T> builder(String bootstrapServers, String topic, Class<T> type) {
        return new Builder<>(bootstrapServers, topic, type);
    }

    /** False once the loop has stopped (closed, or a failure it could not survive). */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /** Waits until partitions are assigned and positioned, so records sent after this are seen. */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long handled() {
        return handledCount.get();
    }

    public long deadLettered() {
        return deadLetterCount.get();
    }

    private void run() {
        try {
            position();
            assigned.countDown();
            while (running) {
                try {
                    reconnectIfAsked();
                    pollOnce();
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (CommitFailedException | RebalanceInProgressException e) {
                    // The group moved partitions between handling and committing. What was handled is
                    // delivered again from the last commit (handlers are idempotent); nothing is lost.
                    LOG.infof("commit on %s skipped after a rebalance: %s", config.topic, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "consumer of %s failed a batch; reading again from the last commit", config.topic);
                    rewindToCommitted();
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.errorf(e, "consumer of %s stopped", config.topic);
        } finally {
            running = false;
            assigned.countDown();
            CompletableFuture<Void> asked = reconnectAsked.getAndSet(null);
            if (asked != null) {
                asked.completeExceptionally(new IllegalStateException("the consumer of " + config.topic + " stopped"));
            }
            // Handled records are committed in the loop, so closing only leaves the group and ends the
            // fetch session. The session's close waits for the fetch in flight, which the broker may
            // hold for fetch.max.wait.ms (5 s on the agent's consumers); not worth holding up a stop,
            // since the broker expires an abandoned session by itself. Leaving the group is quick.
            consumer.close(CLOSE_TIMEOUT);
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout);
        if (records.isEmpty()) {
            commitIfDurable();
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            if (config.keyFilter.test(record.key())) {
                handleOne(record);
            }
        }
        config.afterBatch.run();
        uncommitted = true;
        commitIfDurable();
    }

    /**
     * Asks the loop to replace its consumer with a new one made from the settings read again (for a
     * renewed client certificate). The loop does it between two batches, on its own thread: what
     * was handled stays handled (and committed as before), the new consumer reads on from the
     * positions of the old one (a subscribing loop rejoins its group and reads from the committed
     * offsets, as after a rebalance), then the future completes. It fails when the new consumer
     * cannot be made or positioned; the old one then goes on reading. Asking again before the loop
     * got to it returns the same future.
     */
    public CompletableFuture<Void> reconnect() {
        CompletableFuture<Void> asked = reconnectAsked.updateAndGet(
                pending -> pending != null ? pending : new CompletableFuture<>());
        if (!running) {
            asked.completeExceptionally(new IllegalStateException("the consumer of " + config.topic + " has stopped"));
        }
        return asked;
    }

    private void reconnectIfAsked() {
        CompletableFuture<Void> asked = reconnectAsked.getAndSet(null);
        if (asked == null) {
            return;
        }
        KafkaConsumer<String, byte[]> fresh;
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        try {
            fresh = newConsumer();
        } catch (RuntimeException e) {
            LOG.errorf("consumer of %s cannot reconnect, keeps its connection: %s", config.topic, e.getMessage());
            asked.completeExceptionally(e);
            return;
        }
        try {
            if (config.partitions != null) {
                for (TopicPartition partition : consumer.assignment()) {
                    positions.put(partition, consumer.position(partition, Duration.ofSeconds(30)));
                }
            }
        } catch (WakeupException | InterruptException e) {
            fresh.close(Duration.ZERO);
            asked.completeExceptionally(e);
            throw e;
        } catch (RuntimeException e) {
            fresh.close(Duration.ZERO);
            LOG.errorf("consumer of %s cannot reconnect, keeps its connection: %s", config.topic, e.getMessage());
            asked.completeExceptionally(e);
            return;
        }
        KafkaConsumer<String, byte[]> old = consumer;
        consumer = fresh;
        old.close(CLOSE_TIMEOUT);
        try {
            if (config.partitions == null) {
                fresh.subscribe(List.of(config.topic), rebalanceListener());
            } else {
                fresh.assign(positions.keySet());
                positions.forEach(fresh::seek);
                positions.keySet().forEach(fresh::position);
            }
            LOG.infof("consumer of %s reconnected (%d partitions positioned as before)", config.topic,
                    positions.size());
            asked.complete(null);
        } catch (RuntimeException e) {
            asked.completeExceptionally(e);
            throw e;
        } finally {
            if (!running) {
                // close() woke the old consumer, not this one: make sure the loop still ends promptly.
                fresh.wakeup();
            }
        }
    }

    /** After a failed batch: read again from what was committed, so the failure loses nothing. */
    private void rewindToCommitted() {
        if (config.groupId == null) {
            return;
        }
        try {
            Set<TopicPartition> assignment = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
            for (TopicPartition partition : assignment) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null) {
                    consumer.seek(partition, offset.offset());
                } else if (config.start == Start.EARLIEST) {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            uncommitted = false;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("consumer of %s could not rewind: %s", config.topic, e.getMessage());
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /** Commits what was handled, unless {@link Builder#commitWhen} says it is not yet durable. */
    private void commitIfDurable() {
        if (config.groupId != null && uncommitted && config.commitWhen.getAsBoolean()) {
            consumer.commitSync();
            uncommitted = false;
        }
    }

    private void position() {
        if (config.partitions == null) {
            consumer.subscribe(List.of(config.topic), rebalanceListener());
            return;
        }
        List<TopicPartition> partitions = config.partitions.stream()
                .map(p -> new TopicPartition(config.topic, p)).toList();
        consumer.assign(partitions);
        if (config.groupId == null) {
            if (config.startAt != null) {
                seekFrom(consumer, partitions, config.startAt);
            } else if (config.start == Start.EARLIEST) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
        }
        // Resolve positions now, so that "assigned" means records sent from here on are seen.
        partitions.forEach(consumer::position);
    }

    private org.apache.kafka.clients.consumer.ConsumerRebalanceListener rebalanceListener() {
        RebalanceListener listener = config.rebalance;
        return new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.infof("consumer of %s in group %s assigned partitions %s", config.topic, config.groupId,
                        numbers(partitions));
                if (listener != null) {
                    listener.assigned(numbers(partitions));
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (listener != null && !partitions.isEmpty()) {
                    listener.revoked(numbers(partitions));
                }
                // Still a member: what was handled of these partitions is committed now if durable, so
                // the next owner does not read it again. Not when closing: a stop never waits on a commit.
                if (running) {
                    commitIfDurable();
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                LOG.warnf("consumer of %s lost partitions %s (out of group %s)", config.topic, numbers(partitions),
                        config.groupId);
                uncommitted = false;
                if (listener != null && !partitions.isEmpty()) {
                    listener.lost(numbers(partitions));
                }
            }
        };
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private void handleOne(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = headers(record);
        T event;
        try {
            event = EventCodec.decodeFromTopic(config.topic, headers.get(CloudEventHeaders.TYPE), record.value(),
                    config.type);
        } catch (PoisonMessageException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        try {
            config.handler.handle(delivery(record, event, headers));
            handledCount.incrementAndGet();
        } catch (Exception e) {
            deadLetter(record, "handler failed: " + e);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetterCount.incrementAndGet();
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.putIfAbsent(h.key(), h.value());
        }
        headers.putAll(CloudEventHeaders.forDeadLetter(record.topic(), record.partition(), record.offset(), reason));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        config.deadLetters.publishRaw(Topics.deadLetterOf(record.topic()), record.key(), value, headers)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.errorf(error, "could not dead-letter %s-%d@%d", record.topic(), record.partition(),
                                record.offset());
                    }
                });
        config.deadLetterListener.deadLettered(record.topic(), reason);
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                headers.putIfAbsent(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    /** Stops the loop and waits for it to commit and close. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads every record of {@code topic} present now, from the beginning, and returns when it has
     * reached the end offsets it saw at the start: how services rebuild state from compacted topics.
     * Undecodable records are skipped with a warning here; the live consumer dead-letters them.
     */
    public static <T> long replay(String bootstrapServers, String topic, Class<T> type, String clientId,
                                  Handler<T> handler) {
        return replay(bootstrapServers, topic, type, clientId, null, handler);
    }

    /**
     * As {@link #replay(String, String, Class, String, Handler)}, from the first record whose
     * timestamp is at or after {@code from} (null: from the beginning): a topic that is only read
     * for its last minutes ({@code node.heartbeat}) is not read whole.
     */
    public static <T> long replay(String bootstrapServers, String topic, Class<T> type, String clientId,
                                  Instant from, Handler<T> handler) {
        return replay(bootstrapServers, topic, type, clientId, from, null, handler);
    }

    /**
     * As {@link #replay(String, String, Class, String, Handler)}, of these partitions only: what a
     * member rebuilds when the group gives it partitions of a co-partitioned topic.
     */
    public static <T> long replayPartitions(String bootstrapServers, String topic, Class<T> type, String clientId,
                                            Collection<Integer> only, Handler<T> handler) {
        return replay(bootstrapServers, topic, type, clientId, null, Objects.requireNonNull(only, "only"), handler);
    }

    private static <T> long replay(String bootstrapServers, String topic, Class<T> type, String clientId,
                                   Instant from, Collection<Integer> only, Handler<T> handler) {
        Map<String, Object> props = new LinkedHashMap<>();
        KafkaSettings.consumer(bootstrapServers, null, clientId).forEach((k, v) -> props.put((String) k, v));
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .filter(info -> only == null || only.contains(info.partition()))
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            seekFrom(consumer, partitions, from);
            Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            while (!end.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = headers(record);
                    try {
                        T event = EventCodec.decodeFromTopic(topic, headers.get(CloudEventHeaders.TYPE),
                                record.value(), type);
                        handler.handle(delivery(record, event, headers));
                        count++;
                    } catch (Exception e) {
                        LOG.warnf("replay of %s skipped %d@%d: %s", topic, record.partition(), record.offset(), e);
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        return count;
    }

    /** Seeks each partition to its first record at or after {@code from}; to its end where there is none. */
    private static void seekFrom(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        partitions.forEach(p -> query.put(p, from.toEpochMilli()));
        consumer.offsetsForTimes(query).forEach((partition, found) -> {
            if (found == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, found.offset());
            }
        });
    }

    private static <T> Delivery<T> delivery(ConsumerRecord<String, byte[]> record, T event, Map<String, String> headers) {
        boolean known = record.timestampType() != org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE
                && record.timestamp() >= 0;
        return new Delivery<>(record.topic(), record.partition(), record.offset(), record.key(), event, headers,
                known ? Instant.ofEpochMilli(record.timestamp()) : null,
                record.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
    }

    /** How a loop reads and where its failures go. */
    public static final class Builder<T> {
        private final String bootstrapServers;
        private final String topic;
        private final Class<T> type;
        private String groupId;
        private String instanceId;
        private String clientId;
        private Collection<Integer> partitions;
        private Start start = Start.EARLIEST;
        private Instant startAt;
        private Predicate<String> keyFilter = key -> true;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration fetchMaxWait;
        private Runnable afterBatch = () -> { };
        private BooleanSupplier commitWhen = () -> true;
        private EventPublisher deadLetters;
        private DeadLetterListener deadLetterListener = (topic, reason) -> { };
        private Handler<T> handler;
        private RebalanceListener rebalance;

        private Builder(String bootstrapServers, String topic, Class<T> type) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.type = Objects.requireNonNull(type, "type");
            this.clientId = "consume-" + topic;
        }

        /** Commit offsets in this group; without a group, nothing is committed. */
        public Builder<T> group(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /**
         * A static member of the group: a process restarted with the same instance id takes its
         * partitions back at once, instead of waiting for the dead member's session to expire.
         * Two live processes must never share an instance id.
         */
        public Builder<T> staticMember(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder<T> clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Read exactly these partitions (node-routed topics) instead of joining the group's rebalance. */
        public Builder<T> assign(Collection<Integer> partitions) {
            this.partitions = new ArrayList<>(partitions);
            return this;
        }

        /**
         * Read every partition of the topic (its count from the catalogue) without joining the
         * group's rebalance; with a group, the group is used only to commit offsets, so a
         * restarted process reads at once instead of waiting out its dead predecessor's session.
         */
        public Builder<T> assignAllPartitions() {
            return assign(java.util.stream.IntStream.range(0, Topics.partitionsOf(topic)).boxed().toList());
        }

        /**
         * Without a group: start at the first record whose timestamp is at or after {@code from}
         * (replaces {@link #start(Start)}).
         */
        public Builder<T> startAt(Instant from) {
            this.startAt = Objects.requireNonNull(from, "from");
            return this;
        }

        public Builder<T> start(Start start) {
            this.start = start;
            return this;
        }

        /** Only records whose key passes are decoded and handled; the rest are skipped silently. */
        public Builder<T> keyFilter(Predicate<String> keyFilter) {
            this.keyFilter = keyFilter;
            return this;
        }

        public Builder<T> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /**
         * How long the broker may hold a fetch that finds no records (default: KafkaSettings' 100 ms).
         * A record that arrives ends the wait at once, so a longer wait adds no latency; it only
         * cuts the requests an idle consumer makes (a node agent's three consumers made 30 a second).
         */
        public Builder<T> fetchMaxWait(Duration wait) {
            this.fetchMaxWait = wait;
            return this;
        }

        /** Runs after each batch is handled and before its offsets are committed (flush what it produced). */
        public Builder<T> afterBatch(Runnable afterBatch) {
            this.afterBatch = afterBatch;
            return this;
        }

        /**
         * Offsets are committed only when this answers true (checked after each batch, and on idle
         * polls while a commit is owed): for handlers whose effects become durable later than the
         * batch, e.g. coalesced publications. Until then a restart re-reads, which idempotent
         * handlers absorb. Default: always.
         */
        public Builder<T> commitWhen(BooleanSupplier durable) {
            this.commitWhen = durable;
            return this;
        }

        public Builder<T> deadLetters(EventPublisher publisher, DeadLetterListener listener) {
            this.deadLetters = publisher;
            this.deadLetterListener = listener;
            return this;
        }

        /**
         * Subscribe in the group (no {@link #assign}) and be told when partitions move: the way
         * several instances of a service share a topic's partitions, each owning what it is given.
         */
        public Builder<T> onRebalance(RebalanceListener listener) {
            this.rebalance = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder<T> handler(Handler<T> handler) {
            this.handler = handler;
            return this;
        }

        /** Starts the loop's thread. */
        public ConsumerLoop<T> start() {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(deadLetters, "deadLetters: every loop needs somewhere to put poison");
            if (rebalance != null && (partitions != null || groupId == null)) {
                throw new IllegalStateException("onRebalance needs a group and no assigned partitions (topic " + topic + ")");
            }
            ConsumerLoop<T> loop = new ConsumerLoop<>(this);
            loop.thread.start();
            return loop;
        }
    }
}
