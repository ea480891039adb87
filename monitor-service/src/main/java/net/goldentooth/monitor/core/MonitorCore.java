package net.goldentooth.monitor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.SilenceView;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.monitor.dashboard.History;
import net.goldentooth.monitor.dashboard.NodeTile;
import net.goldentooth.monitor.dashboard.Snapshot;
import net.goldentooth.monitor.facts.DataError;
import net.goldentooth.monitor.facts.FactsCheck;
import net.goldentooth.monitor.inventory.InventoryHost;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.monitor.liveness.BusView;
import net.goldentooth.monitor.liveness.LivenessPolicy;
import net.goldentooth.monitor.probes.ProbeTarget;
import net.goldentooth.monitor.liveness.LivenessTracker;
import net.goldentooth.monitor.liveness.NodeLiveness;
import net.goldentooth.monitor.rules.AlertTable;
import net.goldentooth.monitor.rules.ObservedCert;
import net.goldentooth.monitor.rules.ObservedNode;
import net.goldentooth.monitor.rules.Observations;
import net.goldentooth.monitor.rules.ProbeResult;
import net.goldentooth.monitor.rules.RuleSet;
import net.goldentooth.monitor.silences.SilenceBook;

/**
 * The monitor without its edges: what facts, certificate events, probes and job statuses have
 * said, and the evaluation over them at a given instant. No Kafka, no Quarkus. Two locks: the
 * object's monitor guards the inputs, which arrive on several consumer threads; {@link #alerts}
 * guards the alert table. Evaluation takes a consistent copy of the inputs under the first and
 * evaluates the rules under the second only, so consumers are not held up by rule evaluation.
 */
public final class MonitorCore {

    private final LivenessTracker liveness;
    private final AlertTable alerts;
    private final RuleSet rules;
    private final net.goldentooth.monitor.rules.LogWindows logWindows = new net.goldentooth.monitor.rules.LogWindows();
    private final Map<String, InventoryHost> inventory;
    /** Each inventory node's groups, sorted once: evaluation hands them to every rule every second. */
    private final Map<String, Set<String>> groups;
    private final Duration historyWindow;
    private final int recentJobs;
    private final Map<String, NodeFacts> facts = new HashMap<>();
    private final Map<String, List<DataError>> dataErrors = new HashMap<>();
    private final Map<String, History> histories = new HashMap<>();
    private final Map<String, ObservedCert> certs = new TreeMap<>();
    private final Map<String, ProbeResult> probes = new TreeMap<>();
    private final Map<String, JobStatus> jobs = new HashMap<>();
    private final Map<String, ReplicationStatus> replication = new TreeMap<>();
    private final Map<String, CapacityStatus> capacity = new TreeMap<>();
    private Map<String, NodeLiveness> lastLiveness = Map.of();
    /** Operators' silences (alert.silences); its own lock. */
    private final SilenceBook silences = new SilenceBook();
    private BusView lastBus;

    public MonitorCore(LivenessPolicy policy, RuleSet rules, Map<String, InventoryHost> inventory,
                       Duration resolvedRetention, Duration historyWindow, int recentJobs) {
        this.liveness = new LivenessTracker(policy);
        this.alerts = new AlertTable(resolvedRetention);
        this.rules = rules;
        this.inventory = Map.copyOf(inventory);
        Map<String, Set<String>> sorted = new HashMap<>();
        inventory.forEach((name, host) -> sorted.put(name, java.util.Collections.unmodifiableSet(new TreeSet<>(host.groups()))));
        this.groups = Map.copyOf(sorted);
        this.historyWindow = historyWindow;
        this.recentJobs = recentJobs;
        inventory.keySet().forEach(liveness::expect);
    }

    public RuleSet rules() {
        return rules;
    }

    public void restore(AlertState state) {
        synchronized (alerts) {
            alerts.restore(state);
        }
    }

    /** Records facts without a broker append time: they change no node's liveness. */
    public List<DataError> facts(NodeFacts raw) {
        return facts(raw, null);
    }

    /**
     * Records facts; returns the data errors found in them (their sections are withheld from rules).
     * {@code appendedAt}, the broker's append time (null when the topic keeps producers' times), is
     * a sign of life; the facts' own {@code collectedAt} never is, being the node's clock.
     */
    public synchronized List<DataError> facts(NodeFacts raw, Instant appendedAt) {
        if (raw.node() == null || raw.node().isBlank()) {
            return List.of(new DataError("?", "node", "facts without a node name"));
        }
        FactsCheck.Checked checked = FactsCheck.check(raw);
        NodeFacts previous = facts.get(raw.node());
        if (appendedAt != null) {
            liveness.seen(raw.node(), appendedAt);
        } else {
            // Known to the rules over its facts, but with no time a node's clock cannot move, no liveness.
            liveness.expect(raw.node());
        }
        if (raw.collectedAt() == null
                || (previous != null && previous.collectedAt() != null && !raw.collectedAt().isAfter(previous.collectedAt()))) {
            return checked.errors();
        }
        facts.put(raw.node(), checked.facts());
        dataErrors.put(raw.node(), checked.errors());
        NodeFacts f = checked.facts();
        histories.computeIfAbsent(raw.node(), n -> new History(historyWindow)).add(new History.Point(raw.collectedAt(),
                f.thermal() == null ? null : f.thermal().value().cpuTemperatureCelsius(),
                f.load() == null ? null : f.load().value().load1(), memoryUsed(f), diskUsed(f)), f.counters());
        return checked.errors();
    }

    /**
     * Folds an agent's heartbeat appended at {@code appendedAt} (broker time). A monitor's beat and
     * a beat without an append time (a topic created without LogAppendTime) say nothing about a node.
     */
    public synchronized void heartbeat(NodeHeartbeat beat, Instant appendedAt) {
        if (appendedAt == null || beat.node() == null || beat.node().isBlank() || !beat.fromAgent()) {
            return;
        }
        liveness.heartbeat(beat.node(), appendedAt, Duration.ofMillis(beat.intervalMillis()),
                beat.clockOffset(appendedAt));
    }

    /** Folds the kubelet's Ready condition: the second liveness signal beside the probe. */
    public synchronized void conditions(NodeConditions conditions) {
        if (conditions.node() != null && conditions.observedAt() != null) {
            liveness.kubelet(conditions.node(), conditions.ready(), conditions.observedAt());
        }
    }

    public synchronized void probe(ProbeResult result, String node) {
        probes.put(result.target(), result);
        if (node != null && result.target().startsWith(ProbeTarget.AGENT_PREFIX)) {
            liveness.agentProbe(node, result.success(), result.at());
        } else if (node != null) {
            liveness.probe(node, result.success(), result.at());
        }
    }

    /** Folds a certificate lineage's newest known state; {@code update} gets the previous (or null). */
    public synchronized void cert(String lineage, java.util.function.UnaryOperator<ObservedCert> update) {
        ObservedCert next = update.apply(certs.get(lineage));
        if (next != null) {
            certs.put(lineage, next);
        }
    }

    public synchronized void job(JobStatus status) {
        JobStatus previous = jobs.get(status.jobId());
        if (previous == null || previous.revision() <= status.revision()) {
            jobs.put(status.jobId(), status);
        }
        if (jobs.size() > recentJobs * 4) {
            List<JobStatus> newest = newestJobs(recentJobs);
            jobs.clear();
            newest.forEach(j -> jobs.put(j.jobId(), j));
        }
    }

    /** Folds a replication pair's status; an older status than the one held changes nothing. */
    public synchronized void replication(ReplicationStatus status) {
        newest(replication, ReplicationStatus.key(status.dataset(), status.target()), status, ReplicationStatus::updatedAt);
    }

    /** Folds a filesystem's capacity level; an older observation than the one held changes nothing. */
    public synchronized void capacity(CapacityStatus status) {
        newest(capacity, CapacityStatus.key(status.node(), status.mountPoint()), status, CapacityStatus::observedAt);
    }

    private static <T> void newest(Map<String, T> held, String key, T next, java.util.function.Function<T, Instant> at) {
        T previous = held.get(key);
        if (previous == null || at.apply(previous) == null || at.apply(next) == null
                || !at.apply(next).isBefore(at.apply(previous))) {
            held.put(key, next);
        }
    }

    public synchronized List<ReplicationStatus> replication() {
        return List.copyOf(replication.values());
    }

    public synchronized List<CapacityStatus> capacity() {
        return List.copyOf(capacity.values());
    }

    /** One evaluation at {@code now} on a bus that is up and whose time is {@code now}. */
    public AlertTable.Evaluation evaluate(Instant now) {
        return evaluate(BusView.alwaysUp(now), now);
    }

    /**
     * One evaluation: liveness in bus time, then every rule at the monitor's {@code now} (the
     * {@code for} timers); returns the alert states to publish.
     */
    public AlertTable.Evaluation evaluate(BusView bus, Instant now) {
        Observations observations;
        synchronized (this) {
            lastBus = bus;
            lastLiveness = liveness.evaluate(bus, now);
            Map<String, ObservedNode> nodes = new HashMap<>();
            lastLiveness.forEach((node, live) -> nodes.put(node,
                    new ObservedNode(node, groupsOf(node), live, facts.get(node))));
            observations = new Observations(nodes, certs, List.copyOf(probes.values()),
                    List.copyOf(replication.values()), List.copyOf(capacity.values()), bus, logWindows.counts(now));
        }
        synchronized (alerts) {
            return alerts.evaluate(rules.active(), observations, now);
        }
    }

    /** A line of node.logs, arrived at {@code at}: counted for every active log-match rule it matches. */
    public void logLine(net.goldentooth.events.logs.LogEntry line, Instant at) {
        logWindows.observe(line, at, logConditions());
    }

    /** The active rules' log-match conditions (the shipped and extra rules can change at run time). */
    public List<net.goldentooth.monitor.rules.Condition.LogMatch> logConditions() {
        return rules.active().stream().map(r -> r.condition())
                .filter(c -> c instanceof net.goldentooth.monitor.rules.Condition.LogMatch)
                .map(c -> (net.goldentooth.monitor.rules.Condition.LogMatch) c).toList();
    }

    /** Lines per log-match condition and node within its window, for the exported gauge. */
    public Map<net.goldentooth.monitor.rules.Condition.LogMatch, Map<String, Integer>> logMatchCounts(Instant now) {
        return logWindows.counts(now);
    }

    public List<AlertState> alerts() {
        List<AlertState> list;
        synchronized (alerts) {
            list = new ArrayList<>(alerts.states());
        }
        list.sort(Comparator.comparing(AlertState::activeSince).reversed());
        return list;
    }

    /** The bus as the newest evaluation saw it; null before the first. */
    public synchronized BusView bus() {
        return lastBus;
    }

    public synchronized Map<String, NodeLiveness> liveness() {
        return lastLiveness;
    }

    public synchronized Map<String, NodeFacts> facts() {
        return Map.copyOf(facts);
    }

    public synchronized List<ObservedCert> certs() {
        return List.copyOf(certs.values());
    }

    public synchronized List<ProbeResult> probes() {
        return List.copyOf(probes.values());
    }

    public synchronized List<NodeTile> tiles() {
        List<NodeTile> tiles = new ArrayList<>();
        for (NodeLiveness live : lastLiveness.values()) {
            NodeFacts f = facts.get(live.node());
            InventoryHost host = inventory.get(live.node());
            Double memoryUsed = memoryUsed(f);
            Double diskUsed = diskUsed(f);
            History history = histories.get(live.node());
            tiles.add(new NodeTile(live.node(), host == null ? null : host.address(), live.liveness().wire(),
                    live.probeReachable(), live.lastFactsAt(),
                    live.factsAge() == null ? null : live.factsAge().toMillis() / 1000.0,
                    f == null || f.thermal() == null ? null : f.thermal().value().cpuTemperatureCelsius(),
                    f == null || f.load() == null ? null : f.load().value().load1(),
                    f == null || f.load() == null ? null : f.load().value().cpus(),
                    memoryUsed, diskUsed, List.copyOf(groupsOf(live.node())),
                    dataErrors.getOrDefault(live.node(), List.of()),
                    history == null ? List.of() : history.points(),
                    f == null || !Boolean.TRUE.equals(f.simulated()) ? null : Boolean.TRUE));
        }
        return tiles;
    }

    private static Double memoryUsed(NodeFacts f) {
        return f == null || f.memory() == null || f.memory().value().totalBytes() <= 0 ? null
                : 1.0 - (double) f.memory().value().availableBytes() / f.memory().value().totalBytes();
    }

    private static Double diskUsed(NodeFacts f) {
        return f == null || f.filesystems() == null ? null : f.filesystems().value().stream()
                .filter(fs -> fs.totalBytes() > 0)
                .mapToDouble(fs -> 1.0 - (double) fs.availableBytes() / fs.totalBytes()).max().stream().boxed()
                .findFirst().orElse(null);
    }

    /** One node's tile and its newest facts as checked (sections with data errors withheld), if the node is known. */
    public synchronized java.util.Optional<NodeDetail> node(String name) {
        return tiles().stream().filter(t -> t.node().equals(name)).findFirst()
                .map(t -> new NodeDetail(t, facts.get(name)));
    }

    /** What {@code GET /nodes/{node}} answers: the tile (with history) and the facts behind it. */
    public record NodeDetail(NodeTile tile, NodeFacts facts) {
    }

    public synchronized Snapshot snapshot(Instant now) {
        List<Snapshot.CertRow> certRows = certs.values().stream()
                .map(c -> new Snapshot.CertRow(c.lineage(), c.node(), c.service(), c.notAfter(), c.tier(),
                        c.failingSince() != null, c.notBefore(),
                        Snapshot.CertRow.status(c.notBefore(), c.notAfter(), c.tier(), now)))
                .sorted(Comparator.comparing(Snapshot.CertRow::notAfter, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        List<Snapshot.JobRow> jobRows = newestJobs(recentJobs).stream().map(j -> new Snapshot.JobRow(j.jobId(),
                j.request() == null || j.request().kind() == null ? null : j.request().kind().wire(),
                j.request() == null ? null : j.request().pattern(), j.state() == null ? null : j.state().wire(),
                j.updatedAt(), j.targets() == null ? 0 : j.targets().size(),
                j.targets() == null ? 0 : (int) j.targets().values().stream()
                        .filter(t -> t.state() == TargetState.SUCCEEDED).count())).toList();
        return new Snapshot(now, tiles(), alerts(), certRows, jobRows, silenceViews(now));
    }

    public SilenceBook silences() {
        return silences;
    }

    /** Every listed silence with its state and the pending or firing alerts it silences at {@code now}. */
    public List<SilenceView> silenceViews(Instant now) {
        List<AlertState> active = alerts().stream().filter(a -> a.phase().active()).toList();
        return silences.list().stream().map(s -> {
            SilenceBook.SilenceState state = SilenceBook.state(s, now);
            List<String> silenced = state != SilenceBook.SilenceState.ACTIVE ? List.of() : active.stream()
                    .filter(a -> silences.covers(s.id(), a.labels(), now))
                    .map(AlertState::fingerprint).toList();
            return new SilenceView(s, state.wire(), silenced);
        }).toList();
    }

    /** True when an active silence covers the alert: it is not delivered to Alertmanager. */
    public boolean silenced(AlertState alert, Instant now) {
        return silences.silencing(alert.labels(), now).isPresent();
    }

    private List<JobStatus> newestJobs(int limit) {
        return jobs.values().stream()
                .sorted(Comparator.comparing(JobStatus::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .limit(limit).toList();
    }

    private Set<String> groupsOf(String node) {
        return groups.getOrDefault(node, Set.of());
    }

    public Map<String, InventoryHost> inventory() {
        return inventory;
    }
}
