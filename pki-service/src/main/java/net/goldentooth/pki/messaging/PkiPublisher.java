package net.goldentooth.pki.messaging;

import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.pki.desk.PkiOutbox;

/** What pki-service publishes, with each topic's key and routing. */
public final class PkiPublisher implements PkiOutbox {

    private final EventPublisher publisher;

    public PkiPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Node-routed: key {@code <node>|<lineage>}, partition of the node (see {@link NodeRouting}). */
    @Override
    public CompletableFuture<?> issued(CertIssued answer) {
        return publisher.publish(Topics.CERT_ISSUED,
                NodeRouting.partitionFor(answer.node(), Topics.NODE_ROUTED_PARTITIONS),
                NodeRouting.lineageKey(answer.node(), answer.lineage()), answer);
    }

    @Override
    public CompletableFuture<?> trust(TrustBundle bundle) {
        return publisher.publish(Topics.PKI_TRUST, TrustBundle.NAME, bundle);
    }

    @Override
    public CompletableFuture<?> expiring(CertExpiring event) {
        return publisher.publish(Topics.CERT_EXPIRING, event.lineage(), event);
    }

    @Override
    public void flush() {
        publisher.flush();
    }
}
