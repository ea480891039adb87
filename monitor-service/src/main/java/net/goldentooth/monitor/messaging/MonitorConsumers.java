package net.goldentooth.monitor.messaging;

import java.util.List;
import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;

/**
 * The monitor's Kafka inputs. Thin: decode and hand over. Every loop reads its whole topic from
 * the beginning without a group, assigned every partition: compacted state (the newest facts per node,
 * the newest status per job, the newest issuance per lineage) and the retained certificate events
 * rebuild the in-memory view on every start. Poison is dead-lettered.
 */
public final class MonitorConsumers {

    private final String bootstrap;
    private final EventPublisher deadLetters;
    private final ConsumerLoop.DeadLetterListener listener;

    public MonitorConsumers(String bootstrap, EventPublisher deadLetters, ConsumerLoop.DeadLetterListener listener) {
        this.bootstrap = bootstrap;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    /** Reads {@code alert.state} to its end: the alert table as it was before this process started. */
    public long replayAlerts(Consumer<AlertState> restore) {
        return ConsumerLoop.replay(bootstrap, Topics.ALERT_STATE, AlertState.class, "monitor-replay-alerts",
                d -> restore.accept(d.event()));
    }

    public List<ConsumerLoop<?>> start(Consumer<NodeFacts> facts, Consumer<JobStatus> jobs, Consumer<CertIssued> issued,
                                       Consumer<CertRenewed> renewed, Consumer<CertRenewalFailed> failed,
                                       Consumer<CertExpiring> expiring) {
        return List.of(
                whole(Topics.NODE_FACTS, NodeFacts.class, facts),
                whole(Topics.JOB_STATUS, JobStatus.class, jobs),
                whole(Topics.CERT_ISSUED, CertIssued.class, issued),
                whole(Topics.CERT_RENEWED, CertRenewed.class, renewed),
                whole(Topics.CERT_RENEWAL_FAILED, CertRenewalFailed.class, failed),
                whole(Topics.CERT_EXPIRING, CertExpiring.class, expiring));
    }


    /**
     * No group: every start re-reads the retained topic, which rebuilds the in-memory view (the
     * folds are idempotent and ignore older data), and several monitors never split the stream.
     */
    private <T> ConsumerLoop<T> whole(String topic, Class<T> type, Consumer<T> handler) {
        return ConsumerLoop.builder(bootstrap, topic, type)
                .clientId("monitor-" + topic)
                .assignAllPartitions()
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, listener)
                .handler(d -> handler.accept(d.event()))
                .start();
    }
}
