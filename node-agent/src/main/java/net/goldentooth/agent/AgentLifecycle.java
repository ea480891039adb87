package net.goldentooth.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.services.ServiceProbes;
import net.goldentooth.agent.services.ServicesConfig;
import net.goldentooth.agent.certs.scan.DiskCertificates;
import net.goldentooth.agent.certs.trust.TaskKeyTrust;
import net.goldentooth.agent.clock.BusClock;
import net.goldentooth.agent.clock.OffsetEstimator;
import net.goldentooth.agent.config.AgentConfig;
import net.goldentooth.agent.config.HostedNodes;
import net.goldentooth.agent.config.TaskKeyring;
import net.goldentooth.agent.config.TrustedKeys;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.agent.facts.FactsCadence;
import net.goldentooth.agent.facts.FactsGatherer;
import net.goldentooth.agent.facts.SystemFacts;
import net.goldentooth.agent.health.AgentMetrics;
import net.goldentooth.agent.messaging.AgentSources;
import net.goldentooth.agent.messaging.FactsPublisher;
import net.goldentooth.agent.messaging.HeartbeatPublisher;
import net.goldentooth.agent.messaging.KafkaClients;
import net.goldentooth.agent.messaging.Outbox;
import net.goldentooth.agent.messaging.ProgressPublisher;
import net.goldentooth.agent.messaging.TaskConsumer;
import net.goldentooth.agent.simulation.PowerSwitch;
import net.goldentooth.agent.tasks.TaskIntake;
import net.goldentooth.agent.tasks.admission.Admission;
import net.goldentooth.agent.tasks.execution.StandInExecutors;
import net.goldentooth.agent.tasks.execution.TaskExecutor;
import net.goldentooth.agent.tasks.execution.TaskRunner;
import net.goldentooth.agent.tasks.ledger.TaskLedger;
import net.goldentooth.agent.certs.enrolment.FirstCertificates;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.kafka.KafkaSecurity;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the agent at start-up: configuration and keys are checked first (a bad key file stops
 * the start with its name), then the ledger is loaded, the first facts gathering started and the
 * task consumer started.
 */
@ApplicationScoped
public class AgentLifecycle {

    private static final Logger LOG = Logger.getLogger(AgentLifecycle.class);
    /** A beat acknowledged later than this (stuck behind a broker outage) measures nothing. */
    private static final Duration HEARTBEAT_MAX_ROUND_TRIP = Duration.ofSeconds(5);
    /** How long start-up waits for the first acknowledgement (bus time) before going on with the local clock. */
    private static final Duration HEARTBEAT_FIRST_WAIT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final CertsConfig certsConfig;
    private final ServicesConfig servicesConfig;
    private final int httpPort;
    private final String bootstrapServers;
    private final String agentVersion;
    private final MeterRegistry registry;
    private final KafkaClients kafkaClients;

    private HostedNodes nodes;
    private TaskKeyring taskKeys;
    private EventPublisher publisher;
    private Outbox outbox;
    private TaskLedger ledger;
    private TaskIntake intake;
    private TaskConsumer consumer;
    private FactsPublisher facts;
    private HeartbeatPublisher heartbeat;
    private BusClock busClock;
    private AgentMetrics metrics;

    public AgentLifecycle(AgentConfig config, CertsConfig certsConfig, ServicesConfig servicesConfig,
                          @ConfigProperty(name = "quarkus.http.port", defaultValue = "9110") int httpPort,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                          @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String agentVersion,
                          MeterRegistry registry, KafkaClients kafkaClients) {
        this.config = config;
        this.kafkaClients = kafkaClients;
        this.certsConfig = certsConfig;
        this.servicesConfig = servicesConfig;
        this.httpPort = httpPort;
        this.bootstrapServers = bootstrapServers;
        this.agentVersion = agentVersion;
        this.registry = registry;
    }

    /**
     * The agent's one set of metrics. Its node_exporter gauges are registered once per registry, so
     * a second instance would register nothing and could shadow the one the facts update.
     */
    public AgentMetrics metrics() {
        return metrics;
    }

    /** Every Kafka client of the agent, made again when its Kafka certificate is renewed. */
    public KafkaClients kafkaClients() {
        return kafkaClients;
    }

    /** The trusted task-signing keys; the certificate side adds the provisioner's key from {@code pki.trust}. */
    public TaskKeyring taskKeys() {
        return taskKeys;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        Clock clock = Clock.systemUTC();
        requirePositive(config.collectorTimeout(), "goldentooth.agent.collector-timeout");
        requirePositive(config.heartbeatInterval(), "goldentooth.agent.heartbeat-interval");
        busClock = new BusClock(clock);
        requirePositive(config.factsInterval(), "goldentooth.agent.facts-interval");
        requirePositive(config.factsCheckInterval(), "goldentooth.agent.facts-check-interval");
        if (config.maxOutputBytesCap() <= 0) {
            throw new IllegalArgumentException("goldentooth.agent.max-output-bytes-cap must be positive, was "
                    + config.maxOutputBytesCap());
        }
        StandInExecutors.Mode executorMode = StandInExecutors.Mode.parse(config.simulatedExecutor());
        nodes = HostedNodes.of(config.nodeName().orElseGet(AgentLifecycle::hostname),
                config.simulatedNodes().orElse(List.of()), config.simulatedCount(), config.simulatedPrefix());
        FirstCertificates.ensure(nodes.primary(), certsConfig, config.stateDir(), KafkaSecurity.current(), clock);
        List<Ed25519PublicKeyParameters> keys = TrustedKeys.load(config.trustedKeyFiles(),
                TaskKeyTrust.file(config.stateDir()), certsConfig.enrolmentTokenFile());
        taskKeys = new TaskKeyring(keys);
        metrics = new AgentMetrics(registry);
        metrics.kernelCounters(Path.of("/proc"), clock);
        try {
            // Forgets a task id only once both clocks are past its expiry (see BusClock).
            ledger = TaskLedger.open(config.stateDir(), busClock.earlierOfLocalAndBus());
        } catch (IOException e) {
            throw new UncheckedIOException("goldentooth.agent.state-dir: cannot open the task ledger in "
                    + config.stateDir() + ": " + e.getMessage(), e);
        }
        publisher = new EventPublisher(bootstrapServers, AgentSources.of(nodes.primary()), clock,
                Outbox.PRODUCER_OVERRIDES);
        outbox = new Outbox(publisher, new Outbox.BacklogBounds(config.outbox().maxProgressRecords(),
                config.outbox().maxProgressBytes(), config.outbox().gapThreshold()), clock);
        metrics.outbox(outbox.backlog());
        // Bus time first: tasks are admitted on it, including those resumed below.
        heartbeat = new HeartbeatPublisher(publisher, nodes.primary(), config.heartbeatInterval(), clock, busClock,
                new OffsetEstimator(8, HEARTBEAT_MAX_ROUND_TRIP, Duration.ofSeconds(1)));
        heartbeat.start(HEARTBEAT_FIRST_WAIT);
        // The first gathering starts now, on its own thread, while the task side is built: it runs
        // commands and reads /proc, so started first its facts are out about when start-up ends.
        Duration timeout = config.collectorTimeout();
        FactsCadence cadence = new FactsCadence(config.factsInterval(), config.factsCheckInterval());
        FactsGatherer gatherer = new FactsGatherer(
                new SystemFacts(new CommandRunner(timeout), config.units().orElse(List.of()),
                        DiskCertificates.of(certsConfig)),
                ServiceProbes.of(servicesConfig, nodes.primary(), httpPort, timeout, clock), timeout,
                cadence.checksPerInterval(), clock, metrics::collectorTimedOut);
        // Simulated nodes (and, under --simulate, the own name too) stand in for machines that do not exist.
        List<String> standIns = config.simulation() ? nodes.all() : nodes.simulated();
        PowerSwitch power = PowerSwitch.of(config.stateDir(), standIns, clock);
        facts = new FactsPublisher(outbox, gatherer, cadence, nodes, agentVersion, metrics, clock,
                Set.copyOf(standIns), power);
        facts.start(config.factsCheckInterval());
        Admission admission = new Admission(taskKeys, nodes::hosts, ledger::contains, config.allowRoot(), busClock);
        TaskExecutor executor = StandInExecutors.of(executorMode,
                new TaskRunner(config.maxOutputBytesCap(), runningAsRoot()), Set.copyOf(standIns));
        intake = new TaskIntake(admission, ledger, executor,
                new ProgressPublisher(outbox, nodes.primary(), clock), metrics, clock,
                config.maxConcurrentTasks());
        // Tasks received before a crash but never started run now, if still valid; started ones never again.
        int resumed = intake.resume(new Admission(taskKeys, nodes::hosts, ledger::started, config.allowRoot(),
                busClock));
        consumer = new TaskConsumer(bootstrapServers, nodes, intake, publisher, metrics, power);
        kafkaClients.add("agent producer", publisher);
        kafkaClients.add("job.tasks consumer", consumer::reconnect);

        LOG.infof("node agent for %s started (%d hosted nodes, %d ledger entries, %d tasks resumed, root %s%s)",
                nodes.primary(), nodes.size(), ledger.size(), resumed, config.allowRoot() ? "allowed" : "refused",
                executorMode == StandInExecutors.Mode.IN_PROCESS && !standIns.isEmpty()
                        ? ", simulated nodes answer in-process without running commands" : "");
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (facts != null) {
            facts.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (intake != null) {
            intake.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        if (publisher != null) {
            // Bounded: an agent cut off from the broker must still stop (what is unsent is lost then).
            publisher.close(Duration.ofSeconds(10));
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    /** Whether the task consumer loop is alive: the agent's readiness. */
    public boolean taskConsumerRunning() {
        return consumer != null && consumer.isRunning();
    }

    /** Waits until the task consumer reads its partitions, so tasks sent afterwards are seen. */
    public boolean awaitTaskConsumerAssigned(Duration timeout) throws InterruptedException {
        return consumer != null && consumer.awaitAssignment(timeout);
    }

    /** Bus time as this agent measures it (its clock corrected by the heartbeats' offset). */
    public BusClock busClock() {
        return busClock;
    }

    public HostedNodes nodes() {
        return nodes;
    }

    private static void requirePositive(Duration value, String key) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }

    private static String hostname() {
        try {
            return HostedNodes.shortHostname(Files.readString(Path.of("/proc/sys/kernel/hostname")));
        } catch (IOException e) {
            return HostedNodes.shortHostname(System.getenv().getOrDefault("HOSTNAME", ""));
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
