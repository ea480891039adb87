package net.goldentooth.pki.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.pki.desk.PkiOutbox;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * {@code cert.requested -> cert.issued} on SmallRye Reactive Messaging channels, used when
 * {@code goldentooth.pki.smallrye=true} (the spike of issue 20; application.properties configures
 * both channels and disables them otherwise). The channels are named after their topics:
 * {@value #REQUESTS} reads {@code cert.requested} in the group {@code pki-service}, as kafka-edge's
 * consumer does, in poll batches;
 * {@value #ISSUED} sends the answers node-routed. Batches wait until {@link #attach} is called, once
 * the CA is open, as kafka-edge's consumer is only started then.
 */
@ApplicationScoped
public class CertRequestChannels {

    public static final String REQUESTS = "cert-requested";
    public static final String ISSUED = "cert-issued";
    /** The pause before a batch whose answering failed is answered again (kafka-edge waits 1 s before re-reading). */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    /** A batch of up to max.poll.records answers is sent before any is awaited: the buffer must hold them. */
    @Inject
    @Channel(ISSUED)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> issued;

    /** Answering blocks (signing, one fsync, awaiting the broker): never on the connector's event loop. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pki-requests-smallrye");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<CertRequestBatches> attached = new CompletableFuture<>();

    @Incoming(REQUESTS)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return attached.thenComposeAsync(edge -> edge.handle(batch.getRecords(), batch::ack), worker);
    }

    /** From now on batches are answered by {@code desk}; dead letters are counted by {@code listener}. */
    public void attach(CertRequestBatches.Desk desk, ConsumerLoop.DeadLetterListener listener) {
        attached.complete(new CertRequestBatches(Topics.CERT_REQUESTED, desk, listener, RETRY_PAUSE));
    }

    /** The desk's outbox: answers on the {@value #ISSUED} channel, the trust bundle and expiry through {@code others}. */
    public PkiOutbox outbox(PkiOutbox others, String source, Clock clock) {
        return new PkiOutbox() {
            @Override
            public CompletableFuture<?> issued(CertIssued answer) {
                return send(answer, source, clock);
            }

            @Override
            public CompletableFuture<?> trust(TrustBundle bundle) {
                return others.trust(bundle);
            }

            @Override
            public CompletableFuture<?> expiring(CertExpiring event) {
                return others.expiring(event);
            }

            @Override
            public void flush() {
                // the channel's producer sends as it goes (linger.ms=1); the desk awaits each answer's ack
                others.flush();
            }
        };
    }

    /** One answer on {@code cert.issued}: key {@code <node>|<lineage>}, the node's partition, CloudEvents headers. */
    private CompletableFuture<Void> send(CertIssued answer, String source, Clock clock) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.forEvent(Topics.CERT_ISSUED, source, clock.instant())
                .forEach((k, v) -> headers.add(new RecordHeader(k, v)));
        OutgoingKafkaRecordMetadata<String> routing = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(NodeRouting.lineageKey(answer.node(), answer.lineage()))
                .withPartition(NodeRouting.partitionFor(answer.node(), Topics.NODE_ROUTED_PARTITIONS))
                .withHeaders(headers)
                .build();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        issued.send(Message.of(EventCodec.encode(answer), Metadata.of(routing),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                error -> {
                    acked.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

    @PreDestroy
    void stop() {
        attached.thenAccept(CertRequestBatches::stop);
        worker.shutdownNow();
    }
}
