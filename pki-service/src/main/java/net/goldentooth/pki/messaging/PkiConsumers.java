package net.goldentooth.pki.messaging;

import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;

/**
 * pki-service's consumers; each decodes and hands the event on, poison goes to
 * {@code <topic>.dlq}. Several pki-service instances share {@code cert.requested} through the
 * consumer group {@code pki-service}: each partition (and so each node's requests) is answered by
 * one instance at a time; {@link ClaimLog} settles what a rebalance leaves to two.
 */
public final class PkiConsumers {

    public static final String GROUP = "pki-service";

    private final String bootstrap;
    private final EventPublisher deadLetters;
    private final ConsumerLoop.DeadLetterListener deadLetterListener;

    public PkiConsumers(String bootstrap, EventPublisher deadLetters, ConsumerLoop.DeadLetterListener listener) {
        this.bootstrap = bootstrap;
        this.deadLetters = deadLetters;
        this.deadLetterListener = listener;
    }

    /** Reads the compacted {@code cert.issued} to its end: the newest answer per lineage. */
    public long replayIssued(Consumer<CertIssued> record) {
        return ConsumerLoop.replay(bootstrap, Topics.CERT_ISSUED, CertIssued.class, "pki-service-replay",
                d -> record.accept(d.event()));
    }

    /**
     * Reads {@code cert.expiring} (30 days) to its end: what was announced before this start, so
     * the expiry tiers are not announced twice.
     */
    public long replayExpiring(Consumer<CertExpiring> record) {
        return ConsumerLoop.replay(bootstrap, Topics.CERT_EXPIRING, CertExpiring.class, "pki-service-replay-expiring",
                d -> record.accept(d.event()));
    }

    /**
     * {@code cert.requested}; {@code afterBatch} waits until the batch's answers are acknowledged,
     * and only then are the requests committed.
     */
    public ConsumerLoop<CertRequest> requests(Consumer<CertRequest> handle, Runnable afterBatch) {
        return ConsumerLoop.builder(bootstrap, Topics.CERT_REQUESTED, CertRequest.class)
                .group(GROUP)
                .clientId("pki-service-requests")
                .start(ConsumerLoop.Start.EARLIEST)
                .afterBatch(afterBatch)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> handle.accept(d.event()))
                .start();
    }

    /**
     * {@code cert.renewed} from the beginning, without a group: the last renewal result per lineage
     * is state rebuilt at every start (the topic keeps 30 days).
     */
    public ConsumerLoop<CertRenewed> renewed(Consumer<CertRenewed> record) {
        return fromBeginning(Topics.CERT_RENEWED, CertRenewed.class, "pki-service-renewed", record);
    }

    /** {@code cert.renewal-failed}, like {@link #renewed(Consumer)}. */
    public ConsumerLoop<CertRenewalFailed> renewalFailed(Consumer<CertRenewalFailed> record) {
        return fromBeginning(Topics.CERT_RENEWAL_FAILED, CertRenewalFailed.class, "pki-service-renewal-failed", record);
    }

    /** Every partition of the compacted {@code node.facts}, from the beginning, without a group. */
    public ConsumerLoop<NodeFacts> facts(Consumer<NodeFacts> record) {
        return fromBeginning(Topics.NODE_FACTS, NodeFacts.class, "pki-service-facts", record);
    }

    /**
     * {@code node.heartbeat} from {@code from}, each beat with its broker append time: the nodes'
     * clock offsets measured on the bus (see {@code ClockOffsets}).
     */
    public ConsumerLoop<NodeHeartbeat> heartbeats(java.time.Instant from,
                                                  java.util.function.BiConsumer<NodeHeartbeat, java.time.Instant> record) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_HEARTBEAT, NodeHeartbeat.class)
                .clientId("pki-service-heartbeats")
                .assignAllPartitions()
                .startAt(from)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> record.accept(d.event(), d.appendedAt()))
                .start();
    }

    /** Reads the compacted {@code pki.trust} to its end: the revocations any instance has published. */
    public long replayTrust(Consumer<TrustBundle> record) {
        return ConsumerLoop.replay(bootstrap, Topics.PKI_TRUST, TrustBundle.class, "pki-service-replay-trust",
                d -> record.accept(d.event()));
    }

    /** {@code pki.trust} from the beginning, without a group: another instance's revocations as it makes them. */
    public ConsumerLoop<TrustBundle> trust(Consumer<TrustBundle> record) {
        return fromBeginning(Topics.PKI_TRUST, TrustBundle.class, "pki-service-trust", record);
    }

    /** Every partition of {@code topic}, from the beginning, without a group, each event to {@code record}. */
    private <T> ConsumerLoop<T> fromBeginning(String topic, Class<T> type, String clientId, Consumer<T> record) {
        return ConsumerLoop.builder(bootstrap, topic, type)
                .clientId(clientId)
                .assignAllPartitions()
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, deadLetterListener)
                .handler(d -> record.accept(d.event()))
                .start();
    }

}
