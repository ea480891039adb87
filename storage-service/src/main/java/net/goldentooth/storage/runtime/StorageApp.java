package net.goldentooth.storage.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.storage.capacity.CapacityEvaluator;
import net.goldentooth.storage.config.ConfigValues;
import net.goldentooth.storage.config.StorageConfig;
import net.goldentooth.storage.execution.Replicator;
import net.goldentooth.storage.execution.SnapshotRunner;
import net.goldentooth.storage.execution.Transport;
import net.goldentooth.storage.messaging.FactsConsumer;
import net.goldentooth.storage.messaging.KafkaNodeShell;
import net.goldentooth.storage.messaging.StoragePublisher;
import net.goldentooth.storage.nfs.NfsConfigException;
import net.goldentooth.storage.nfs.NfsExport;
import net.goldentooth.storage.nfs.NfsExports;
import net.goldentooth.storage.nfs.NfsLayout;
import net.goldentooth.storage.planning.SnapshotPlanner;
import net.goldentooth.storage.policy.PolicyException;
import net.goldentooth.storage.policy.SanoidConfig;
import net.goldentooth.storage.policy.SanoidConfigParser;
import net.goldentooth.storage.seaweedfs.LeaderTracker;
import net.goldentooth.storage.seaweedfs.SeaweedLayout;
import net.goldentooth.storage.seaweedfs.SeaweedHealthClient;
import net.goldentooth.storage.service.NfsOperations;
import net.goldentooth.storage.service.StorageOperations;
import net.goldentooth.kafka.LeaderElection;
import net.goldentooth.storage.service.LeaderOnlyShell;
import net.goldentooth.storage.service.NotLeaderException;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.topology.Inventory;
import net.goldentooth.storage.topology.InventoryException;
import net.goldentooth.storage.topology.InventoryReader;
import net.goldentooth.storage.topology.ReplicationTopology;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wiring: reads sanoid.conf and the inventory (errors fail start-up naming the key), restores
 * state from the compacted storage topics, and runs snapshots and replication on timers.
 */
@ApplicationScoped
public class StorageApp {

    private static final Logger LOG = Logger.getLogger(StorageApp.class);

    private final StorageConfig config;
    private final String bootstrap;
    private final Clock clock;
    private EventPublisher publisher;
    private KafkaNodeShell kafkaShell;
    private ConsumerLoop<NodeFacts> facts;
    private StorageOperations operations;
    private Inventory inventory;
    private SeaweedLayout seaweedLayout;
    private List<NfsExport> nfsExports;
    private NfsOperations nfs;
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService seaweedPoller;
    @Inject
    ReplicationMetrics replicationMetrics;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8083")
    int httpPort;
    /** The planner election: one instance of storage-service runs snapshots and replication at a time. */
    private LeaderElection election;
    /** How long start-up waits to learn whether this instance leads: a lone instance leads well within it. */
    private static final Duration FIRST_ELECTION_WAIT = Duration.ofSeconds(3);

    StorageApp(StorageConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, Clock clock) {
        this.config = config;
        this.bootstrap = bootstrap;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        ZoneId zone = ConfigValues.zone(config.zone());
        Optional<List<URI>> seaweedfsMasters = config.seaweedfsMasters().map(ConfigValues::seaweedfsMasters);
        SanoidConfig sanoid = readSanoid(config.sanoidConfig());
        try {
            nfsExports = NfsExports.parse(config.nfsExports());
        } catch (NfsConfigException e) {
            throw new IllegalStateException("goldentooth.storage.nfs-exports: " + e.getMessage(), e);
        }
        inventory = readInventory(config.inventory());
        ReplicationTopology topology = topology(sanoid);
        publisher = new EventPublisher(bootstrap, "//storage-service", clock);
        NodeShell shell;
        if (config.shell() == StorageConfig.ShellKind.LOCAL) {
            shell = new LocalNodeShell(config.commandTimeout());
        } else {
            kafkaShell = new KafkaNodeShell(bootstrap, publisher, config.commandTimeout());
            shell = kafkaShell;
        }
        Transport transport = config.transport() == StorageConfig.TransportKind.LOCAL ? Transport.local() : ssh(config.ssh());
        Inventory known = inventory == null ? new Inventory(Map.of(), Map.of()) : inventory;
        nfs = new NfsOperations(shell, nfsExports, NfsLayout.of(nfsExports, known, config.nfsClientGroup()));
        seaweedLayout = SeaweedLayout.of(known, SeaweedLayout.GROUP, config.seaweedfsDataDir());
        if (seaweedLayout.error() != null) {
            LOG.warnf("SeaweedFS layout in the inventory cannot work: %s", seaweedLayout.error());
        }
        StoragePublisher out = new StoragePublisher(publisher);
        election = LeaderElection.start(bootstrap, config.plannerGroup(), "storage-service@" + hostname() + ":" + httpPort,
                publisher, null);
        // Every change to a pool is checked against the planner's lease just before it is issued.
        NodeShell acting = new LeaderOnlyShell(shell, config.plannerGroup(), election::leads);
        operations = new StorageOperations(sanoid, topology, targetDataset(config.targetPool()),
                new SnapshotRunner(acting, new SnapshotPlanner(zone), clock), new Replicator(acting, transport, clock),
                out::snapshotRun, status -> {
                    out.replication(status);
                    replicationMetrics.update(status);
                });
        operations.actOnlyWhile(config.plannerGroup(), election::leads);
        ConsumerLoop.replay(bootstrap, Topics.STORAGE_SNAPSHOTS, SnapshotRun.class, "storage-service-restore",
                d -> operations.restore(d.event()));
        ConsumerLoop.replay(bootstrap, Topics.STORAGE_REPLICATION, ReplicationStatus.class, "storage-service-restore",
                d -> {
                    operations.restore(d.event());
                    replicationMetrics.update(d.event());
                });
        CapacityEvaluator capacity;
        try {
            capacity = new CapacityEvaluator(config.capacityWarningPercent(), config.capacityCriticalPercent());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("goldentooth.storage.capacity-warning-percent / capacity-critical-percent: "
                    + e.getMessage(), e);
        }
        ConsumerLoop.replay(bootstrap, Topics.STORAGE_CAPACITY, CapacityStatus.class, "storage-service-restore",
                d -> capacity.restore(d.event()));
        facts = FactsConsumer.start(bootstrap, publisher, capacity);
        LOG.infof("storage-service: %d dataset(s) %s on %s, targets %s, shell %s", operations.datasets().size(),
                operations.datasets(), topology.source(), topology.targets(), config.shell());
        long waitUntil = System.nanoTime() + FIRST_ELECTION_WAIT.toNanos();
        while (!election.leads() && System.nanoTime() < waitUntil) {
            Thread.sleep(50);
        }
        LOG.infof("storage-service: %s (election %s)", election.leads() ? "the planner" : "a standby planner",
                config.plannerGroup());
        if (config.schedulerEnabled() && !operations.datasets().isEmpty()) {
            schedule();
        }
        seaweedfsMasters.ifPresent(this::pollSeaweed);
    }

    private void schedule() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-runs");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> every("snapshot", operations::snapshot), 0,
                config.snapshotInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduleReplication(Duration.ofSeconds(30));
    }

    /** Each run is scheduled after the last with the interval plus fresh jitter, as systemd's RandomizedDelaySec. */
    private void scheduleReplication(Duration delay) {
        scheduler.schedule(() -> {
            every("replication", dataset -> operations.replicate(dataset, Optional.empty()));
            long jitter = ThreadLocalRandom.current().nextLong(config.replicationJitter().toMillis() + 1);
            scheduleReplication(config.replicationInterval().plusMillis(jitter));
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls the masters; a leader or health change is published on storage.seaweedfs. */
    private void pollSeaweed(List<URI> masters) {
        SeaweedHealthClient client = new SeaweedHealthClient(masters);
        LeaderTracker tracker = new LeaderTracker();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "seaweedfs-poll");
            t.setDaemon(true);
            return t;
        });
        seaweedPoller = poller;
        poller.scheduleWithFixedDelay(() -> {
            try {
                tracker.observe(client.ask(), clock.instant()).ifPresent(status -> {
                    LOG.infof("SeaweedFS: leader %s (was %s), healthy %s", status.leader(), status.previousLeader(),
                            status.healthy());
                    publisher.publish(Topics.STORAGE_SEAWEEDFS, LeaderTracker.CLUSTER, status);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "SeaweedFS poll failed");
            }
        }, 0, config.seaweedfsPollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void every(String what, java.util.function.Consumer<String> run) {
        if (!election.leads()) {
            // A standby folds nothing here and acts on nothing: its timer only waits for leadership.
            return;
        }
        for (String dataset : operations.datasets()) {
            try {
                run.accept(dataset);
            } catch (NotLeaderException e) {
                LOG.infof("%s runs stopped at %s: this instance no longer leads %s", what, dataset, config.plannerGroup());
                return;
            } catch (RuntimeException e) {
                // A failed run is published by the run itself where it can be; the timer must go on.
                LOG.errorf(e, "%s run of %s failed", what, dataset);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (election != null) {
            election.close();
        }
        if (seaweedPoller != null) {
            seaweedPoller.shutdownNow();
        }
        if (kafkaShell != null) {
            kafkaShell.close();
        }
        if (facts != null) {
            facts.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    @Produces
    @Singleton
    public StorageOperations operations() {
        return started(operations);
    }

    /** The SeaweedFS layout the inventory declares, or why it cannot work. */
    @Produces
    @Singleton
    public SeaweedLayout seaweedLayout() {
        return started(seaweedLayout);
    }

    /** Exports files and client units, from {@code nfs-exports} and the inventory (no inventory: no clients). */
    @Produces
    @Singleton
    public NfsOperations nfs() {
        return started(nfs);
    }

    private static <T> T started(T made) {
        if (made == null) {
            throw new IllegalStateException("storage-service is still starting");
        }
        return made;
    }

    private static SanoidConfig readSanoid(Path path) {
        if (!Files.exists(path)) {
            LOG.warnf("goldentooth.storage.sanoid-config: %s does not exist; no dataset is managed", path);
            return new SanoidConfig(path.toString(), List.of());
        }
        try {
            return SanoidConfigParser.parse(path.toString(), Files.readString(path));
        } catch (PolicyException e) {
            throw new IllegalStateException("goldentooth.storage.sanoid-config: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("goldentooth.storage.sanoid-config: cannot read " + path + ": " + e, e);
        }
    }

    private static Inventory readInventory(Path path) {
        if (!Files.exists(path)) {
            LOG.warnf("goldentooth.storage.inventory: %s does not exist", path);
            return null;
        }
        try {
            return InventoryReader.read(path.toString(), Files.readString(path));
        } catch (InventoryException e) {
            throw new IllegalStateException("goldentooth.storage.inventory: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("goldentooth.storage.inventory: cannot read " + path + ": " + e, e);
        }
    }

    private ReplicationTopology topology(SanoidConfig sanoid) {
        Optional<ReplicationTopology> fromInventory = inventory != null && !inventory.group(config.zfsGroup()).isEmpty()
                ? Optional.of(ReplicationTopology.hubAndSpoke(inventory, config.zfsGroup()))
                : Optional.empty();
        Optional<String> source = config.source().or(() -> fromInventory.map(ReplicationTopology::source));
        if (source.isEmpty()) {
            if (!sanoid.datasets().isEmpty()) {
                throw new IllegalStateException("goldentooth.storage.source: no source node: set it, or name hosts in"
                        + " inventory group '" + config.zfsGroup() + "' (goldentooth.storage.zfs-group) of "
                        + config.inventory() + " (goldentooth.storage.inventory)");
            }
            return new ReplicationTopology("none", List.of());
        }
        List<String> targets = config.targets().orElseGet(() -> fromInventory.map(ReplicationTopology::targets)
                .orElse(List.of()));
        return new ReplicationTopology(source.get(), targets);
    }

    /** With a target pool, {@code rpool/data} is received as {@code <pool>/data}. */
    static UnaryOperator<String> targetDataset(Optional<String> targetPool) {
        if (targetPool.isEmpty()) {
            return UnaryOperator.identity();
        }
        String pool = targetPool.get();
        return dataset -> {
            int slash = dataset.indexOf('/');
            return slash < 0 ? pool : pool + dataset.substring(slash);
        };
    }

    private static Transport ssh(StorageConfig.Ssh ssh) {
        try {
            return Transport.ssh(new Transport.SshSettings(ssh.user(), ssh.identity(), ssh.certificate(), ssh.knownHosts(),
                    ssh.port()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("goldentooth.storage.ssh: " + e.getMessage(), e);
        }
    }

    private static String hostname() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
