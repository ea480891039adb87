package net.goldentooth.monitor.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
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

    /**
     * Reads {@code topic} to its current end into {@code handler}, before the live loops start:
     * the first evaluation after a restart must see every rule input as it is now. Evaluated
     * against a half-read node.facts (oldest facts first), a node looks down, and a pending alert
     * just restored from alert.state drops to inactive: its {@code for} timer would start again.
     */
    public <T> long catchUp(String topic, Class<T> type, Consumer<T> handler) {
        return ConsumerLoop.replay(bootstrap, topic, type, "monitor-catch-up-" + topic, d -> handler.accept(d.event()));
    }

    /** Handles an event with the broker's append time of its record (null when the topic keeps producers' times). */
    @FunctionalInterface
    public interface Timed<T> {
        void accept(T event, java.time.Instant appendedAt);
    }

    /** {@link #catchUp} with append times. */
    public <T> long catchUpTimed(String topic, Class<T> type, Timed<T> handler) {
        return ConsumerLoop.replay(bootstrap, topic, type, "monitor-catch-up-" + topic,
                d -> handler.accept(d.event(), d.appendedAt()));
    }

    /**
     * Reads {@code node.heartbeat} from {@code from} (bus time) to its current end: a restarted
     * monitor knows every beating node's newest beat before its first evaluation, without reading
     * the topic's hour.
     */
    public long catchUpHeartbeats(java.time.Instant from, Timed<NodeHeartbeat> handler) {
        return ConsumerLoop.replay(bootstrap, Topics.NODE_HEARTBEAT, NodeHeartbeat.class,
                "monitor-catch-up-" + Topics.NODE_HEARTBEAT, from, d -> handler.accept(d.event(), d.appendedAt()));
    }

    /** Reads {@code node.heartbeat} live from {@code from} (re-reading what the catch-up read changes nothing). */
    public ConsumerLoop<NodeHeartbeat> heartbeats(java.time.Instant from, Timed<NodeHeartbeat> handler) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_HEARTBEAT, NodeHeartbeat.class)
                .clientId("monitor-" + Topics.NODE_HEARTBEAT)
                .assign(java.util.stream.IntStream.range(0, Topics.partitionsOf(Topics.NODE_HEARTBEAT)).boxed().toList())
                .startAt(from)
                .deadLetters(deadLetters, listener)
                .handler(d -> handler.accept(d.event(), d.appendedAt()))
                .start();
    }

    /**
     * @param factsConsumers how many loops share node.facts' partitions (decoding in parallel; the
     *                       handler must take facts from several threads)
     */
    public List<ConsumerLoop<?>> start(int factsConsumers, Timed<NodeFacts> facts, Consumer<JobStatus> jobs,
                                       Consumer<CertIssued> issued, Consumer<CertRenewed> renewed,
                                       Consumer<CertRenewalFailed> failed, Consumer<CertExpiring> expiring,
                                       Consumer<ReplicationStatus> replication, Consumer<CapacityStatus> capacity,
                                       Consumer<NodeConditions> conditions) {
        List<ConsumerLoop<?>> loops = new ArrayList<>(factsLoops(factsConsumers, facts));
        loops.addAll(List.of(
                whole(Topics.JOB_STATUS, JobStatus.class, jobs),
                whole(Topics.CERT_ISSUED, CertIssued.class, issued),
                whole(Topics.CERT_RENEWED, CertRenewed.class, renewed),
                whole(Topics.CERT_RENEWAL_FAILED, CertRenewalFailed.class, failed),
                whole(Topics.CERT_EXPIRING, CertExpiring.class, expiring),
                whole(Topics.STORAGE_REPLICATION, ReplicationStatus.class, replication),
                whole(Topics.STORAGE_CAPACITY, CapacityStatus.class, capacity),
                whole(Topics.NODE_CONDITIONS, NodeConditions.class, conditions)));
        return loops;
    }

    /** Follows {@code alert.silences} from its start: operators' silences, also those written by other monitors. */
    public ConsumerLoop<Silence> silences(Consumer<Silence> handler) {
        return whole(Topics.ALERT_SILENCES, Silence.class, handler);
    }

    /**
     * node.logs from its end (only lines that arrive from now on are counted by log-match rules; the
     * windows are minutes, and a firing alert is restored from alert.state), every partition, no group.
     */
    public ConsumerLoop<LogEntry> logs(Consumer<LogEntry> handler) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_LOGS, LogEntry.class)
                .clientId("monitor-" + Topics.NODE_LOGS)
                .assign(java.util.stream.IntStream.range(0, Topics.partitionsOf(Topics.NODE_LOGS)).boxed().toList())
                .start(ConsumerLoop.Start.LATEST)
                .deadLetters(deadLetters, listener)
                .handler(d -> handler.accept(d.event()))
                .start();
    }

    /**
     * node.facts split over up to {@code consumers} loops, partition p going to loop p mod n: each
     * node's facts stay in order (one partition), and the loops decode side by side.
     */
    static List<List<Integer>> factsShares(int consumers, int partitions) {
        int loops = Math.max(1, Math.min(consumers, partitions));
        List<List<Integer>> shares = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            shares.add(new ArrayList<>());
        }
        for (int p = 0; p < partitions; p++) {
            shares.get(p % loops).add(p);
        }
        return shares;
    }

    private List<ConsumerLoop<NodeFacts>> factsLoops(int consumers, Timed<NodeFacts> handler) {
        List<List<Integer>> shares = factsShares(consumers, Topics.partitionsOf(Topics.NODE_FACTS));
        List<ConsumerLoop<NodeFacts>> loops = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            loops.add(ConsumerLoop.builder(bootstrap, Topics.NODE_FACTS, NodeFacts.class)
                    .clientId("monitor-" + Topics.NODE_FACTS + "-" + i)
                    .assign(shares.get(i))
                    .start(ConsumerLoop.Start.EARLIEST)
                    .deadLetters(deadLetters, listener)
                    .handler(d -> handler.accept(d.event(), d.appendedAt()))
                    .start());
        }
        return loops;
    }


    /**
     * No group: every start re-reads the retained topic, which rebuilds the in-memory view (the
     * folds are idempotent and ignore older data), and several monitors never split the stream.
     */
    private <T> ConsumerLoop<T> whole(String topic, Class<T> type, Consumer<T> handler) {
        return loop(topic, type, "monitor-" + topic,
                java.util.stream.IntStream.range(0, Topics.partitionsOf(topic)).boxed().toList(), handler);
    }

    private <T> ConsumerLoop<T> loop(String topic, Class<T> type, String clientId, List<Integer> partitions,
                                     Consumer<T> handler) {
        return ConsumerLoop.builder(bootstrap, topic, type)
                .clientId(clientId)
                .assign(partitions)
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, listener)
                .handler(d -> handler.accept(d.event()))
                .start();
    }
}
