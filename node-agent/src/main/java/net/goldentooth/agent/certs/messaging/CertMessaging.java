package net.goldentooth.agent.certs.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.goldentooth.agent.certs.renewal.CertEvents;
import net.goldentooth.agent.certs.renewal.RenewalLoop;
import net.goldentooth.agent.certs.trust.TrustInstaller;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.agent.messaging.TaskConsumer;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import org.jboss.logging.Logger;

/**
 * The certificate side's Kafka edges, thin. In: {@code cert.issued}, only the node's partition by
 * manual assignment, only keys {@code <node>|...}, group {@code node-agent-certs-<node>};
 * {@code pki.trust} from the beginning, no group (the compacted bundle is small and always
 * re-read). Out: {@code cert.requested} (key node), {@code cert.renewed} and
 * {@code cert.renewal-failed} (key lineage).
 */
public final class CertMessaging implements CertEvents, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CertMessaging.class);

    private final EventPublisher publisher;
    private ConsumerLoop<CertIssued> issued;
    private ConsumerLoop<TrustBundle> trust;

    public CertMessaging(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public static String groupOf(String node) {
        return "node-agent-certs-" + node;
    }

    public void start(String bootstrapServers, String node, RenewalLoop loop, TrustInstaller installer,
                      AgentMetrics metrics) {
        String prefix = NodeRouting.lineageKeyPrefix(node);
        trust = ConsumerLoop.builder(bootstrapServers, Topics.PKI_TRUST, TrustBundle.class)
                .clientId("node-agent-" + node + "-trust")
                .assign(List.of(0))
                .start(ConsumerLoop.Start.EARLIEST)
                .fetchMaxWait(TaskConsumer.IDLE_WAIT)
                .pollTimeout(TaskConsumer.IDLE_WAIT)
                .deadLetters(publisher, (topic, reason) -> metrics.deadLettered(topic))
                .handler(delivery -> installer.install(delivery.event()))
                .start();
        issued = ConsumerLoop.builder(bootstrapServers, Topics.CERT_ISSUED, CertIssued.class)
                .group(groupOf(node))
                .clientId("node-agent-" + node + "-certs")
                .assign(Set.of(NodeRouting.partitionFor(node, Topics.NODE_ROUTED_PARTITIONS)))
                // A new group reads the partition's compacted history: an answer published before the
                // first assignment is not missed (answers to unknown requests are ignored).
                .start(ConsumerLoop.Start.EARLIEST)
                .fetchMaxWait(TaskConsumer.IDLE_WAIT)
                .pollTimeout(TaskConsumer.IDLE_WAIT)
                .keyFilter(key -> key != null && key.startsWith(prefix))
                .deadLetters(publisher, (topic, reason) -> metrics.deadLettered(topic))
                .handler(delivery -> loop.onIssued(delivery.event()))
                .start();
    }

    /** Lets both consumers be made again after the agent's Kafka certificate is renewed. */
    public void register(net.goldentooth.agent.messaging.KafkaClients clients) {
        clients.add("pki.trust consumer", trust);
        clients.add("cert.issued consumer", issued);
    }

    /** Whether both consumers are positioned, so that answers sent from now on are seen. */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return issued != null && issued.awaitAssignment(timeout) && trust.awaitAssignment(timeout);
    }

    /** As {@link #awaitAssignment}, without waiting. */
    public boolean isAssigned() {
        try {
            return awaitAssignment(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isRunning() {
        return issued != null && issued.isRunning() && trust.isRunning();
    }

    @Override
    public void request(CertRequest request) {
        send(Topics.CERT_REQUESTED, request.node(), request);
    }

    @Override
    public void renewed(CertRenewed renewed) {
        send(Topics.CERT_RENEWED, renewed.lineage(), renewed);
    }

    @Override
    public void failed(CertRenewalFailed failed) {
        send(Topics.CERT_RENEWAL_FAILED, failed.lineage(), failed);
    }

    private void send(String topic, String key, Object event) {
        publisher.publish(topic, key, event).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "could not publish to %s for %s", topic, key);
            }
        });
    }

    @Override
    public void close() {
        if (issued != null) {
            issued.close();
        }
        if (trust != null) {
            trust.close();
        }
    }
}
