package net.goldentooth.monitor.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.kafka.LeaderElection;
import net.goldentooth.monitor.api.DashboardStreams;
import net.goldentooth.monitor.config.MonitorConfig;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.delivery.AlertmanagerSender;
import net.goldentooth.monitor.errors.MonitorError;
import net.goldentooth.monitor.facts.DataError;
import net.goldentooth.monitor.inventory.InventoryHost;
import net.goldentooth.monitor.inventory.InventoryReader;
import net.goldentooth.monitor.liveness.BusTime;
import net.goldentooth.monitor.liveness.BusView;
import net.goldentooth.monitor.liveness.LivenessPolicy;
import net.goldentooth.monitor.messaging.BusBeat;
import net.goldentooth.monitor.messaging.AlertStatePublisher;
import net.goldentooth.monitor.messaging.MonitorConsumers;
import net.goldentooth.monitor.probes.ProbeReports;
import net.goldentooth.monitor.probes.ProbeTarget;
import net.goldentooth.monitor.probes.Prober;
import net.goldentooth.monitor.rules.AlertTable;
import net.goldentooth.monitor.rules.CertFold;
import net.goldentooth.monitor.rules.ProbeResult;
import net.goldentooth.monitor.rules.RuleFileException;
import net.goldentooth.monitor.rules.RuleFileParser;
import net.goldentooth.monitor.rules.RuleSet;
import net.goldentooth.monitor.silences.SilencePublisher;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Wires the monitor: the alert table is restored from {@code alert.state} before the first
 * evaluation (so a pending alert's {@code for} timer goes on), then consumers feed the core,
 * a timer evaluates the rules, publishes changes, hands them to Alertmanager and the dashboard.
 */
@ApplicationScoped
public class MonitorApp implements SilencePublisher {

    private static final Logger LOG = Logger.getLogger(MonitorApp.class);
    public static final String SOURCE = "//monitor-service";

    @Inject
    MonitorConfig config;
    @Inject
    Clock clock;
    @Inject
    MonitorMetrics metrics;
    @Inject
    DashboardStreams streams;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8084")
    int httpPort;

    private MonitorCore core;
    private EventPublisher publisher;
    private AlertStatePublisher alertStates;
    private AlertmanagerSender alertmanager;
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private final List<AlertState> unpublished = new ArrayList<>();
    /** Per node, the data errors last logged; only nodes with errors are present. Several facts consumers write it. */
    private final Map<String, Set<String>> reportedErrors = new ConcurrentHashMap<>();
    private final List<ProbeTarget> probeTargets = new ArrayList<>();
    private ScheduledExecutorService timer;
    private ScheduledExecutorService beatTimer;
    private ExecutorService probePool;
    private Prober prober;
    private ProbeReports probeReports;
    private FileTime extraRulesSeen;
    private Instant lastResend = Instant.EPOCH;
    /** The delivery election: of several monitors, only its leader talks to Alertmanager. */
    private LeaderElection deliveryElection;
    /** Whether the last evaluation delivered (only the evaluation thread touches it). */
    private boolean delivering;
    private Instant lastMetrics = Instant.EPOCH;
    private volatile boolean ready;
    private BusTime busTime;
    private BusBeat busBeat;
    /** How long start-up waits for the bus to acknowledge the monitor's first beat. */
    private static final java.time.Duration FIRST_BEAT_WAIT = java.time.Duration.ofSeconds(5);

    void onStart(@Observes StartupEvent event) {
        RuleSet rules = new RuleSet(shippedRules());
        prober = prober();
        probeReports = probeReports();
        Map<String, InventoryHost> inventory = config.inventory().map(this::inventory).orElse(Map.of());
        LivenessPolicy policy = new LivenessPolicy(config.factsInterval(), config.missedIntervals(), config.holdDown(),
                config.probeInterval().multipliedBy(3), config.nodeConditionsFreshness(), config.missedHeartbeats());
        if (config.busTimeout().compareTo(policy.heartbeatWindow(config.heartbeatInterval())) >= 0) {
            throw new IllegalArgumentException("goldentooth.monitor.bus-timeout (" + config.busTimeout()
                    + ") must be shorter than a node's silence window (" + policy.heartbeatWindow(config.heartbeatInterval())
                    + "): otherwise a bus outage raises NodeDowns before BusDown");
        }
        core = new MonitorCore(policy, rules, inventory, config.resolvedRetention(), config.history(), config.recentJobs());
        reloadExtraRulesIfChanged();
        for (String spec : config.probes().orElse(List.of())) {
            try {
                probeTargets.add(ProbeTarget.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("goldentooth.monitor.probes: " + e.getMessage(), e);
            }
        }
        inventory.values().forEach(h -> probeTargets.add(config.livenessProbePort() == 0
                ? new ProbeTarget("liveness/" + h.name(), "icmp", h.address(), 0, "/", h.name())
                : new ProbeTarget("liveness/" + h.name(), "tcp", h.address(), config.livenessProbePort(), "/", h.name())));
        if (config.agentProbePort() != 0) {
            inventory.values().forEach(h -> probeTargets.add(new ProbeTarget(ProbeTarget.AGENT_PREFIX + h.name(), "tcp",
                    h.address(), config.agentProbePort(), "/", h.name())));
        }
        publisher = new EventPublisher(bootstrap, SOURCE, clock);
        alertStates = new AlertStatePublisher(publisher);
        busTime = new BusTime(config.busTimeout());
        busBeat = new BusBeat(publisher, "monitor-service@" + hostname() + ":" + httpPort, config.heartbeatInterval(),
                busTime, clock, System::nanoTime);
        busBeat.first(FIRST_BEAT_WAIT);
        config.alertmanagerUrl().filter(u -> !u.isBlank()).ifPresent(url -> {
            // Every monitor evaluates and folds the same topics; only the elected one delivers.
            deliveryElection = LeaderElection.start(bootstrap, config.deliveryGroup(),
                    "monitor-service@" + hostname() + ":" + httpPort, publisher, null);
            alertmanager = new AlertmanagerSender(url, config.alertmanagerResend(),
                    "http://127.0.0.1:" + httpPort + "/", clock, deliveryElection::leads);
        });
        MonitorConsumers consumers = new MonitorConsumers(bootstrap, publisher, (topic, reason) -> {
            metrics.deadLettered(topic);
            LOG.warnf("dead-lettered a record of %s: %s", topic, reason);
        });

        long restored = consumers.replayAlerts(core::restore);
        LOG.infof("restored %d pending or firing alerts from %d alert.state records", core.alerts().size(), restored);

        if (config.factsConsumers() < 1) {
            throw new IllegalArgumentException("goldentooth.monitor.facts-consumers must be at least 1, got "
                    + config.factsConsumers());
        }
        MonitorConsumers.Timed<NodeFacts> facts = this::facts;
        Consumer<CertIssued> issued = e -> core.cert(e.lineage(), prev -> CertFold.issued(prev, e));
        Consumer<CertRenewed> renewed = e -> core.cert(e.lineage(), prev -> CertFold.renewed(prev, e));
        Consumer<CertRenewalFailed> failed = e -> core.cert(e.lineage(), prev -> CertFold.renewalFailed(prev, e));
        Consumer<CertExpiring> expiring = e -> core.cert(e.lineage(), prev -> CertFold.expiring(prev, e));
        // Every rule input read to its end before the first evaluation (see MonitorConsumers.catchUp).
        // Beats from just far enough back to know every beating node's newest beat and its run.
        java.time.Instant beatsFrom = java.util.Optional.ofNullable(busTime.view(System.nanoTime()).now())
                .orElseGet(clock::instant)
                .minus(policy.heartbeatWindow(config.heartbeatInterval()).multipliedBy(2).plus(config.holdDown()));
        long caughtUp = consumers.catchUpTimed(Topics.NODE_FACTS, NodeFacts.class, facts)
                + consumers.catchUpHeartbeats(beatsFrom, core::heartbeat)
                + consumers.catchUp(Topics.CERT_ISSUED, CertIssued.class, issued)
                + consumers.catchUp(Topics.CERT_RENEWED, CertRenewed.class, renewed)
                + consumers.catchUp(Topics.CERT_RENEWAL_FAILED, CertRenewalFailed.class, failed)
                + consumers.catchUp(Topics.CERT_EXPIRING, CertExpiring.class, expiring)
                + consumers.catchUp(Topics.STORAGE_REPLICATION, ReplicationStatus.class, core::replication)
                + consumers.catchUp(Topics.STORAGE_CAPACITY, CapacityStatus.class, core::capacity)
                + consumers.catchUp(Topics.NODE_CONDITIONS, NodeConditions.class, core::conditions)
                + consumers.catchUp(Topics.ALERT_SILENCES, Silence.class, core.silences()::fold);
        LOG.infof("read %d records of the rule inputs before the first evaluation", caughtUp);
        loops.addAll(consumers.start(config.factsConsumers(), facts, core::job, issued, renewed, failed, expiring,
                core::replication, core::capacity, core::conditions));
        loops.add(consumers.silences(core.silences()::fold));
        loops.add(consumers.heartbeats(beatsFrom, core::heartbeat));
        loops.add(consumers.logs(line -> core.logLine(line, clock.instant())));
        probePool = Executors.newFixedThreadPool(4, daemon("monitor-probe"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("monitor-evaluate"));
        long every = config.evaluationInterval().toMillis();
        timer.scheduleWithFixedDelay(this::evaluateSafely, every, every, TimeUnit.MILLISECONDS);
        // Its own thread: the beats are the monitor's view of the bus and must not wait on evaluation.
        beatTimer = Executors.newSingleThreadScheduledExecutor(daemon("monitor-beat"));
        long beatEvery = config.heartbeatInterval().toMillis();
        beatTimer.scheduleAtFixedRate(this::beatSafely, beatEvery, beatEvery, TimeUnit.MILLISECONDS);
        long probeEvery = config.probeInterval().toMillis();
        timer.scheduleWithFixedDelay(this::probeAll, 0, probeEvery, TimeUnit.MILLISECONDS);
        ready = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        ready = false;
        if (beatTimer != null) {
            beatTimer.shutdownNow();
        }
        if (timer != null) {
            timer.shutdownNow();
            probePool.shutdownNow();
        }
        loops.forEach(ConsumerLoop::close);
        if (deliveryElection != null) {
            deliveryElection.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    public boolean ready() {
        return ready && loops.stream().allMatch(ConsumerLoop::isRunning)
                && (deliveryElection == null || deliveryElection.isRunning());
    }

    public MonitorCore core() {
        return core;
    }

    /** The core the REST resources read; there once start-up has made it. */
    @Produces
    @Singleton
    MonitorCore coreForResources() {
        MonitorCore current = core;
        if (current == null) {
            throw new IllegalStateException("monitor-service is still starting");
        }
        return current;
    }

    /**
     * Puts a silence (new, expired or deleted) on {@code alert.silences} and waits for the broker,
     * then folds it, so the caller's next read and the next evaluation see it.
     *
     * @throws IllegalStateException when the broker did not acknowledge within 10 s
     */
    @Override
    public void publishSilence(Silence silence) {
        try {
            var sent = publisher.publish(Topics.ALERT_SILENCES, silence.id(), silence);
            publisher.flush();
            sent.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notTaken(silence, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw notTaken(silence, e);
        }
        core.silences().fold(silence);
        LOG.infof("silence %s by %s: %s until %s%s", silence.id(), silence.updatedBy(), silence.matchers(),
                silence.endsAt(), silence.deletedAt() != null ? " (deleted)" : "");
        streams.publish(() -> core.snapshot(clock.instant()));
    }

    private static MonitorError.Failure notTaken(Silence silence, Exception cause) {
        LOG.warnf(cause, "alert.silences did not take silence %s", silence.id());
        return new MonitorError.Failure(new MonitorError.BusUnavailable("silence " + silence.id(), cause));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static List<net.goldentooth.monitor.rules.RuleDefinition> shippedRules() {
        try (InputStream in = MonitorApp.class.getClassLoader().getResourceAsStream(RuleSet.SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped rules " + RuleSet.SHIPPED + " are missing from the build");
            }
            return RuleFileParser.parse(RuleSet.SHIPPED, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RuleSet.SHIPPED, e);
        }
    }

    private Prober prober() {
        try {
            return config.probeCaFile().isPresent()
                    ? new Prober(config.probeTimeout(), clock, Prober.trusting(config.probeCaFile().get()))
                    : new Prober(config.probeTimeout(), clock);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("goldentooth.monitor.probe-ca-file: " + e.getMessage(), e);
        }
    }

    private Map<String, InventoryHost> inventory(Path file) {
        try {
            Map<String, InventoryHost> hosts = InventoryReader.load(file);
            LOG.infof("inventory %s: %d hosts", file, hosts.size());
            return hosts;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.monitor.inventory: " + e.getMessage(), e);
        }
    }

    /** Re-reads the extra rule file when its modification time changes; a broken file keeps the rules in force. */
    private void reloadExtraRulesIfChanged() {
        if (config.extraRules().isEmpty()) {
            return;
        }
        Path file = config.extraRules().get();
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(extraRulesSeen)) {
                return;
            }
            extraRulesSeen = modified;
            int loaded = core.rules().loadExtra(file.toString(), Files.readString(file)).size();
            LOG.infof("loaded %d extra rules from %s; %d rules active", loaded, file, core.rules().active().size());
        } catch (RuleFileException e) {
            metrics.ruleFileError(file.toString());
            LOG.errorf("rule file rejected, previous rules stay active: %s", e.getMessage());
        } catch (IOException e) {
            metrics.ruleFileError(file.toString());
            LOG.errorf("rule file %s cannot be read, previous rules stay active: %s", file, e.toString());
        }
    }

    private void beatSafely() {
        try {
            busBeat.beat();
        } catch (RuntimeException e) {
            LOG.warnf("the monitor's beat failed: %s", e.toString());
        }
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }

    private void facts(NodeFacts facts, Instant appendedAt) {
        List<DataError> errors = core.facts(facts, appendedAt);
        metrics.factsIngested();
        String node = facts.node() == null ? "?" : facts.node();
        if (errors.isEmpty()) {
            // The common case: nothing to count or log, and no per-fact allocation.
            reportedErrors.remove(node);
            return;
        }
        Set<String> now = new TreeSet<>();
        for (DataError e : errors) {
            metrics.dataError(e.node(), e.section());
            now.add(e.section() + ": " + e.reason());
        }
        Set<String> before = reportedErrors.put(node, now);
        if (!now.equals(before)) {
            MDC.put("node", String.valueOf(facts.node()));
            try {
                LOG.warnf("data errors in facts of %s (withheld from rules): %s", facts.node(), now);
            } finally {
                MDC.remove("node");
            }
        }
    }

    private void probeAll() {
        for (ProbeTarget target : probeTargets) {
            probePool.execute(() -> probe(target));
        }
    }

    private void probe(ProbeTarget target) {
        ProbeResult answer = prober.run(target);
        core.probe(answer, target.node());
        probeReports.consider(answer, target.node()).ifPresent(event ->
                publisher.publish(Topics.PROBE_RESULTS, event.target(), event).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        LOG.warnf("could not publish the probe result of %s: %s", event.target(), failure.getMessage());
                    }
                }));
    }

    private ProbeReports probeReports() {
        try {
            return new ProbeReports(config.probeRepublish());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.monitor.probe-republish: " + e.getMessage(), e);
        }
    }

    private void evaluateSafely() {
        try {
            evaluate(clock.instant());
        } catch (RuntimeException e) {
            LOG.errorf(e, "evaluation failed; retrying at the next tick");
        }
    }

    private void evaluate(Instant now) {
        reloadExtraRulesIfChanged();
        BusView bus = busTime.view(System.nanoTime());
        AlertTable.Evaluation evaluation = core.evaluate(bus, now);
        for (AlertState s : evaluation.changed()) {
            MDC.put("alert", s.alertName());
            MDC.put("fingerprint", s.fingerprint());
            try {
                LOG.infof("%s %s %s%s", s.alertName(), s.labels(), s.phase().wire(), s.inhibited() ? " (inhibited)" : "");
            } finally {
                MDC.remove("alert");
                MDC.remove("fingerprint");
            }
        }
        unpublished.addAll(evaluation.changed());
        if (!unpublished.isEmpty()) {
            try {
                // Bounded: with the bus down, evaluation and delivery over HTTP (BusDown) must go on.
                alertStates.publish(unpublished, config.busTimeout());
                unpublished.clear();
            } catch (RuntimeException e) {
                LOG.errorf("publishing %d alert states failed; retrying at the next tick: %s", unpublished.size(), e);
            }
        }
        boolean leads = alertmanager != null && deliveryElection.leads();
        if (leads && !delivering) {
            // A takeover: what the previous deliverer may not have sent (it died between an alert's
            // change and its POST) is re-sent now, from this monitor's own table of the same inputs.
            LOG.infof("delivering to Alertmanager from now on: re-sending every firing and resolved alert");
            lastResend = Instant.EPOCH;
        }
        delivering = leads;
        if (leads) {
            // A silenced alert is not delivered: Alertmanager never hears of it while the silence
            // lasts, and the periodic re-send delivers it again once the silence ends.
            alertmanager.offer(evaluation.changed().stream().filter(s -> !core.silenced(s, now)).toList());
            if (!now.isBefore(lastResend.plus(config.alertmanagerResend()))) {
                lastResend = now;
                alertmanager.offer(core.alerts().stream()
                        .filter(s -> s.phase() == AlertPhase.FIRING || s.phase() == AlertPhase.RESOLVED)
                        .filter(s -> !core.silenced(s, now)).toList());
            }
        }
        streams.publish(() -> core.snapshot(now));
        if (!now.isBefore(lastMetrics.plus(config.metricsInterval()))) {
            lastMetrics = now;
            metrics.refresh(core, now);
        }
    }
}
