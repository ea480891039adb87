package net.goldentooth.pki.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/**
 * The SmallRye edge of {@code cert.requested} on hand-made messages, without Quarkus or a broker
 * (the fast tier the in-memory connector would give, see docs/architecture.md "Messaging layer"):
 * what is acknowledged, what is dead-lettered with which headers, and what a failed batch does.
 */
class CertRequestBatchesTest {

    private final List<String> deadLettered = new ArrayList<>();

    @Test
    void aBatchIsAcknowledgedOnlyAfterTheDeskAnsweredIt() throws Exception {
        RecordingDesk desk = new RecordingDesk(0);
        AckProbe ack = new AckProbe(() -> desk.answered.get() == 1);
        Msg a = msg(0, 10, request("alpha"));
        Msg b = msg(1, 4, request("beta"));

        edge(desk).handle(List.of(a, b), ack).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("alpha", "beta"), desk.nodes);
        assertEquals(1, desk.answered.get());
        assertEquals(1, ack.calls.get());
        assertTrue(ack.afterAnswer, "the batch was acknowledged before its answers were");
        assertFalse(a.nacked.isDone() || b.nacked.isDone());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void poisonIsNackedAloneWithKafkaEdgesReasonHeadersAndTheRestIsAnswered() throws Exception {
        RecordingDesk desk = new RecordingDesk(0);
        AckProbe ack = new AckProbe(() -> true);
        Msg poison = new Msg(2, 7, "{not json".getBytes(StandardCharsets.UTF_8), typeOf(Topics.CERT_REQUESTED));
        Msg foreign = new Msg(0, 8, EventCodec.encode(request("gamma")), typeOf(Topics.CERT_ISSUED));
        Msg good = msg(1, 9, request("alpha"));

        edge(desk).handle(List.of(poison, foreign, good), ack).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("alpha"), desk.nodes);
        assertEquals(1, ack.calls.get());
        assertTrue(poison.nacked.isDone() && foreign.nacked.isDone());
        Headers dlq = poison.dlqHeaders();
        assertEquals(Topics.CERT_REQUESTED, dlq.get(CloudEventHeaders.DLQ_TOPIC));
        assertEquals("2", dlq.get(CloudEventHeaders.DLQ_PARTITION));
        assertEquals("7", dlq.get(CloudEventHeaders.DLQ_OFFSET));
        assertNotNull(dlq.get(CloudEventHeaders.DLQ_ERROR));
        assertEquals(dlq.get(CloudEventHeaders.DLQ_ERROR), poison.nackReason.getMessage());
        assertTrue(foreign.dlqHeaders().get(CloudEventHeaders.DLQ_ERROR).contains("unknown event type"),
                foreign.dlqHeaders().get(CloudEventHeaders.DLQ_ERROR));
        assertEquals(2, deadLettered.size());
    }

    @Test
    void aRequestTheDeskCannotQueueIsDeadLetteredAsAHandlerFailure() throws Exception {
        RecordingDesk desk = new RecordingDesk(0);
        Msg unroutable = msg(0, 1, request("bad|node"));
        Msg good = msg(0, 2, request("beta"));

        edge(desk).handle(List.of(unroutable, good), new AckProbe(() -> true)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of("beta"), desk.nodes);
        assertTrue(unroutable.dlqHeaders().get(CloudEventHeaders.DLQ_ERROR).startsWith("handler failed: "),
                unroutable.dlqHeaders().get(CloudEventHeaders.DLQ_ERROR));
    }

    @Test
    void theBatchWaitsForItsDeadLettersBeforeItIsAcknowledged() throws Exception {
        RecordingDesk desk = new RecordingDesk(0);
        AckProbe ack = new AckProbe(() -> true);
        Msg poison = new Msg(0, 3, new byte[] {1, 2, 3}, null);
        CompletableFuture<Void> dlqSend = new CompletableFuture<>();
        poison.nackResult = dlqSend;

        CompletableFuture<Void> done = edge(desk).handle(List.of(poison, msg(0, 4, request("alpha"))), ack)
                .toCompletableFuture();

        assertFalse(done.isDone());
        assertEquals(0, ack.calls.get(), "acknowledged (and so committed) before the poison was on the dlq");
        dlqSend.complete(null);
        done.get(5, TimeUnit.SECONDS);
        assertEquals(1, ack.calls.get());
    }

    @Test
    void aFailedBatchIsAnsweredAgainNotDeadLettered() throws Exception {
        RecordingDesk desk = new RecordingDesk(2);
        AckProbe ack = new AckProbe(() -> desk.answered.get() == 1);
        Msg a = msg(0, 1, request("alpha"));

        edge(desk).handle(List.of(a), ack).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(3, desk.attempts.get());
        assertEquals(List.of("alpha", "alpha", "alpha"), desk.nodes, "the batch is collected again for each attempt");
        assertEquals(1, ack.calls.get());
        assertTrue(ack.afterAnswer);
        assertFalse(a.nacked.isDone());
        assertTrue(deadLettered.isEmpty());
    }

    @Test
    void aStoppedEdgeLeavesAFailingBatchUnacknowledged() {
        RecordingDesk desk = new RecordingDesk(Integer.MAX_VALUE);
        CertRequestBatches edge = edge(desk);
        edge.stop();
        AckProbe ack = new AckProbe(() -> true);
        Msg a = msg(0, 1, request("alpha"));

        CompletableFuture<Void> done = edge.handle(List.of(a), ack).toCompletableFuture();

        assertFalse(done.isDone(), "a stopped edge must neither acknowledge nor nack (a nack dead-letters the batch)");
        assertEquals(1, desk.attempts.get());
        assertEquals(0, ack.calls.get());
        assertFalse(a.nacked.isDone());
    }

    private CertRequestBatches edge(CertRequestBatches.Desk desk) {
        return new CertRequestBatches(Topics.CERT_REQUESTED, desk, (topic, reason) -> deadLettered.add(reason),
                Duration.ofMillis(1));
    }

    private static String typeOf(String topic) {
        return CloudEventHeaders.typeOf(topic);
    }

    private static Msg msg(int partition, long offset, CertRequest request) {
        return new Msg(partition, offset, EventCodec.encode(request), typeOf(Topics.CERT_REQUESTED));
    }

    private static CertRequest request(String node) {
        return new CertRequest("req-" + node, node, node + "/web", "web", CertKind.ENROLL, "csr", null, "token", null,
                null, List.of(node), false, Instant.parse("2026-12-07T12:00:00Z"));
    }

    /** Counts collected requests; its answerBatch fails {@code failures} times before it succeeds. */
    private static final class RecordingDesk implements CertRequestBatches.Desk {
        final List<String> nodes = new ArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        private final int failures;

        RecordingDesk(int failures) {
            this.failures = failures;
        }

        @Override
        public void collect(CertRequest request) {
            net.goldentooth.events.NodeRouting.lineageKey(request.node(), request.lineage());
            nodes.add(request.node());
        }

        @Override
        public List<CertIssued> answerBatch() {
            if (attempts.incrementAndGet() <= failures) {
                throw new IllegalStateException("broker did not acknowledge");
            }
            answered.incrementAndGet();
            return List.of();
        }
    }

    private static final class AckProbe implements Supplier<CompletionStage<Void>> {
        final AtomicInteger calls = new AtomicInteger();
        private final Supplier<Boolean> answeredYet;
        boolean afterAnswer;

        AckProbe(Supplier<Boolean> answeredYet) {
            this.answeredYet = answeredYet;
        }

        @Override
        public CompletionStage<Void> get() {
            calls.incrementAndGet();
            afterAnswer = answeredYet.get();
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A record as the Kafka connector hands it over: payload, Kafka metadata, and a nack that records its metadata. */
    private static final class Msg implements Message<byte[]> {
        final byte[] payload;
        final Metadata metadata;
        final CompletableFuture<Metadata> nacked = new CompletableFuture<>();
        Throwable nackReason;
        CompletableFuture<Void> nackResult = CompletableFuture.completedFuture(null);

        Msg(int partition, long offset, byte[] payload, String ceType) {
            this.payload = payload;
            RecordHeaders headers = new RecordHeaders();
            if (ceType != null) {
                headers.add(CloudEventHeaders.TYPE, ceType.getBytes(StandardCharsets.UTF_8));
            }
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.CERT_REQUESTED, partition, offset, 0L,
                    TimestampType.CREATE_TIME, 0, payload.length, "key", payload, headers, Optional.empty());
            this.metadata = Metadata.of(new IncomingKafkaRecordMetadata<>(record, CertRequestChannels.REQUESTS));
        }

        @Override
        public byte[] getPayload() {
            return payload;
        }

        @Override
        public Metadata getMetadata() {
            return metadata;
        }

        @Override
        public CompletionStage<Void> nack(Throwable reason, Metadata nackMetadata) {
            nackReason = reason;
            nacked.complete(nackMetadata);
            return nackResult;
        }

        Headers dlqHeaders() throws ExecutionException, InterruptedException {
            OutgoingKafkaRecordMetadata<?> out = nacked.get().get(OutgoingKafkaRecordMetadata.class).orElseThrow();
            return new Headers(out.getHeaders());
        }
    }

    private record Headers(org.apache.kafka.common.header.Headers headers) {
        String get(String name) {
            Header h = headers.lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }
}
