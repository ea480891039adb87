package net.goldentooth.pki.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.kafka.ConsumerLoop;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The SmallRye edge of {@code cert.requested} (the spike of issue 20), kept free of CDI so that it
 * runs in a unit test on hand-made messages: one poll's batch of records is decoded and collected
 * by the desk, the desk answers the batch (its answers acknowledged by the broker), and only then
 * is the batch acknowledged, which lets the connector's {@code throttled} commit strategy commit
 * it. It keeps {@link ConsumerLoop}'s contract for {@code cert.requested}:
 * <ul>
 *   <li>A record that cannot be decoded, has a foreign {@code ce_type}, or that the desk refuses to
 *       queue is nacked alone, with the same {@code dlq_*} headers kafka-edge writes, so the
 *       channel's {@code dead-letter-queue} failure strategy sends it to {@code cert.requested.dlq}
 *       (beside SmallRye's own {@code dead-letter-*} headers); the rest of the batch goes on.</li>
 *   <li>A batch whose answering fails (a broker that did not acknowledge, a ledger that could not
 *       be written) is neither acknowledged nor nacked: nacking would dead-letter every request of
 *       it. SmallRye has no strategy that reads a batch again from the last commit, which is what
 *       kafka-edge does, so the batch is answered again here after a pause, until it succeeds
 *       or the edge is stopped. The desk forgets a failed batch's new answers, so the retry decides
 *       it afresh, as a re-read would.</li>
 * </ul>
 */
public final class CertRequestBatches {

    private static final Logger LOG = Logger.getLogger(CertRequestBatches.class);

    /** What the edge needs of the desk: {@code PkiDesk::collect} and {@code PkiDesk::answerBatch}. */
    public interface Desk {
        void collect(CertRequest request);

        List<CertIssued> answerBatch();
    }

    private final String topic;
    private final Desk desk;
    private final ConsumerLoop.DeadLetterListener deadLetters;
    private final Duration retryPause;
    private volatile boolean stopped;

    public CertRequestBatches(String topic, Desk desk, ConsumerLoop.DeadLetterListener deadLetters,
                              Duration retryPause) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.retryPause = Objects.requireNonNull(retryPause, "retryPause");
    }

    /** Ends a retry in progress: the batch stays unacknowledged, so it is read again at the next start. */
    public void stop() {
        stopped = true;
    }

    /**
     * Handles one batch; blocks (call it off the event loop).
     *
     * @param records  the batch's records, in poll order
     * @param ackBatch acknowledges the whole batch (the connector then commits it)
     * @return completes once the poison is dead-lettered and the batch acknowledged; never completes
     *         when the edge was stopped before the batch could be answered: the batch is then neither
     *         acknowledged nor nacked (a nack would dead-letter all of it), so its offsets stay
     *         uncommitted and the next start reads it again, as kafka-edge's loop does when closed
     */
    public CompletionStage<Void> handle(List<? extends Message<byte[]>> records,
                                        Supplier<CompletionStage<Void>> ackBatch) {
        List<CertRequest> collected = new ArrayList<>(records.size());
        List<CompletableFuture<Void>> nacked = new ArrayList<>();
        for (Message<byte[]> record : records) {
            IncomingKafkaRecordMetadata<?, ?> meta = record.getMetadata(IncomingKafkaRecordMetadata.class)
                    .orElseThrow(() -> new IllegalArgumentException("a record of " + topic + " without Kafka metadata"));
            CertRequest request;
            try {
                request = EventCodec.decodeFromTopic(topic, header(meta, CloudEventHeaders.TYPE), record.getPayload(),
                        CertRequest.class);
            } catch (PoisonMessageException e) {
                nacked.add(deadLetter(record, meta, e.getMessage(), e));
                continue;
            }
            try {
                desk.collect(request);
                collected.add(request);
            } catch (RuntimeException e) {
                nacked.add(deadLetter(record, meta, "handler failed: " + e, e));
            }
        }
        if (!answer(collected)) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.allOf(nacked.toArray(CompletableFuture[]::new))
                .thenCompose(done -> ackBatch.get());
    }

    /** Answers the batch, again after each failure; false when the edge stopped first. */
    private boolean answer(List<CertRequest> collected) {
        for (int attempt = 1; ; attempt++) {
            try {
                desk.answerBatch();
                return true;
            } catch (RuntimeException e) {
                if (stopped || Thread.currentThread().isInterrupted()) {
                    LOG.infof("the %s edge stopped with a batch of %d requests unanswered; it is read again at the next start",
                            topic, collected.size());
                    return false;
                }
                LOG.errorf(e, "answering a batch of %d requests of %s failed (attempt %d); answering it again in %s",
                        collected.size(), topic, attempt, retryPause);
                if (!pause()) {
                    return false;
                }
                collected.forEach(desk::collect);
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(retryPause.toMillis());
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Nacks one record with kafka-edge's reason headers attached; the channel's dead-letter-queue
     * strategy copies them onto the record it sends to {@code <topic>.dlq}.
     */
    private CompletableFuture<Void> deadLetter(Message<byte[]> record, IncomingKafkaRecordMetadata<?, ?> meta,
                                               String reason, Exception cause) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", meta.getTopic(), meta.getPartition(), meta.getOffset(), reason);
        deadLetters.deadLettered(meta.getTopic(), reason);
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.forDeadLetter(meta.getTopic(), meta.getPartition(), meta.getOffset(), reason)
                .forEach((k, v) -> headers.add(new RecordHeader(k, v)));
        Metadata dlq = Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build());
        return record.nack(new DeadLetterReason(reason, cause), dlq).toCompletableFuture();
    }

    private static String header(IncomingKafkaRecordMetadata<?, ?> meta, String name) {
        Header header = meta.getHeaders().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The exception a poison record is nacked with: its message is the reason SmallRye writes too. */
    static final class DeadLetterReason extends RuntimeException {
        DeadLetterReason(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }
}
