package net.goldentooth.agent.certs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.goldentooth.agent.AgentLifecycle;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.certs.messaging.CertMessaging;
import net.goldentooth.agent.certs.renewal.EnrolmentTokens;
import net.goldentooth.agent.certs.renewal.LineageSpec;
import net.goldentooth.agent.certs.renewal.ManagedLineage;
import net.goldentooth.agent.certs.renewal.Renewable;
import net.goldentooth.agent.certs.renewal.RenewalLoop;
import net.goldentooth.agent.certs.renewal.RenewalSchedule;
import net.goldentooth.agent.certs.renewal.TlsProbe;
import net.goldentooth.agent.certs.scan.DiskCertificates;
import net.goldentooth.agent.certs.ssh.GeneratedSshKey;
import net.goldentooth.agent.certs.ssh.SshCertificateSpec;
import net.goldentooth.agent.certs.ssh.SshKey;
import net.goldentooth.agent.certs.ssh.SshLineage;
import net.goldentooth.agent.certs.trust.TaskKeyTrust;
import net.goldentooth.agent.certs.trust.TrustInstaller;
import net.goldentooth.agent.config.AgentConfig;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.agent.messaging.AgentSources;
import net.goldentooth.agent.messaging.KafkaClients;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.kafka.KafkaSecurity;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the certificate side after the agent itself has started (it needs the node name): the
 * managed certificates and the canary become lineages of one renewal loop, the {@code cert.issued}
 * and {@code pki.trust} consumers start, and certificates on disk are scanned for the metrics.
 * Configuration errors stop start-up naming their key.
 */
@ApplicationScoped
public class CertificateAgent {

    private static final Logger LOG = Logger.getLogger(CertificateAgent.class);
    static final String CANARY = "canary";
    private static final String KEY = "goldentooth.agent.certificates.";

    private final AgentLifecycle agent;
    private final AgentConfig agentConfig;
    private final CertsConfig config;
    private final String bootstrapServers;
    private final MeterRegistry registry;

    private EventPublisher publisher;
    private CertMessaging messaging;
    private RenewalLoop loop;
    private ScheduledExecutorService scanner;

    public CertificateAgent(AgentLifecycle agent, AgentConfig agentConfig, CertsConfig config,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                            MeterRegistry registry) {
        this.agent = agent;
        this.agentConfig = agentConfig;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) throws IOException {
        Clock clock = Clock.systemUTC();
        String node = agent.nodes().primary();
        List<LineageSpec> specs = specs(node, config, agentConfig.stateDir());
        Optional<SshCertificateSpec> sshHost = sshHost(node, config.sshHost());
        Optional<SshCertificateSpec> sshRoot = sshRoot(node, config.sshRoot(), agentConfig.allowRoot());
        CertsConfig.Renewal renewal = config.renewal();
        positive(renewal.tick(), "goldentooth.agent.renewal.tick");
        positive(renewal.probeTimeout(), "goldentooth.agent.renewal.probe-timeout");
        positive(renewal.reloadTimeout(), "goldentooth.agent.renewal.reload-timeout");
        positive(config.scan().interval(), "goldentooth.agent.scan.interval");
        RenewalSchedule schedule = new RenewalSchedule(renewal.jitterSeed().orElse((long) node.hashCode()),
                renewal.backoffInitial(), renewal.backoffMax(), renewal.answerTimeout());
        EnrolmentTokens tokens = new EnrolmentTokens(config.enrolmentTokenFile(),
                agentConfig.stateDir().resolve("certs").resolve("spent-tokens"));
        CertsConfig.Trust trust = config.trust();
        TrustInstaller installer = new TrustInstaller(trust.caBundlePath(), trust.updateCaCertificates(),
                trust.sshUserCaPath(), trust.sshKnownHostsPath(), new CommandRunner(Duration.ofSeconds(60)),
                Optional.of(new TaskKeyTrust(agentConfig.stateDir(), tokens::all, agent.nodes()::hosts,
                        agent.taskKeys())));
        CertMetrics metrics = new CertMetrics(registry, clock);
        publisher = new EventPublisher(bootstrapServers, AgentSources.of(node), clock);
        messaging = new CertMessaging(publisher);
        CommandRunner reloads = new CommandRunner(renewal.reloadTimeout());
        TlsProbe probe = new TlsProbe(Duration.ofSeconds(5));
        List<ManagedLineage> x509 = new ArrayList<>();
        KafkaClients kafkaClients = agent.kafkaClients();
        for (LineageSpec spec : specs) {
            ManagedLineage lineage = new ManagedLineage(spec, schedule, tokens, messaging, reloads, probe,
                    renewal.probeTimeout(), installer::root, metrics, clock);
            if (isKafkaIdentity(spec, KafkaSecurity.current())) {
                // The agent's own Kafka certificate: a renewal is in use once its clients are made again.
                Duration bound = renewal.reloadTimeout();
                lineage.reloadsInProcess(() -> kafkaClients.reconnectAll(bound));
            }
            metrics.watchExpiry(spec.lineage(), lineage::notAfter);
            x509.add(lineage);
        }
        List<Renewable> lineages = new ArrayList<>(x509);
        // The SSH lineages prove who they are with any current X.509 certificate of the node.
        Supplier<Optional<ManagedLineage.Credential>> proof =
                () -> x509.stream().map(ManagedLineage::credential).flatMap(Optional::stream).findFirst();
        List<SshLineage> ssh = new ArrayList<>();
        sshHost.ifPresent(spec -> ssh.add(new SshLineage(spec, SshKey.file(config.sshHost().publicKeyPath()), schedule,
                proof, installer::sshHostCa, messaging, reloads, metrics, clock)));
        sshRoot.ifPresent(spec -> ssh.add(new SshLineage(spec,
                new GeneratedSshKey(config.sshRoot().keyPath(), "root@" + node, new SecureRandom()), schedule, proof,
                installer::sshUserCa, messaging, reloads, metrics, clock)));
        for (SshLineage lineage : ssh) {
            metrics.watchExpiry(lineage.lineage(), lineage::notAfter);
            lineages.add(lineage);
        }
        loop = new RenewalLoop(lineages);
        messaging.start(bootstrapServers, node, loop, installer, agent.metrics());
        kafkaClients.add("certificates producer", publisher);
        messaging.register(kafkaClients);
        // Requests go out only once their answers can be read; start-up does not wait for that.
        loop.start(renewal.tick(), messaging::isAssigned);
        startScan(metrics);
        LOG.infof("certificates of %s: %d lineages (%s)", node, lineages.size(),
                String.join(", ", lineages.stream().map(Renewable::lineage).toList()));
    }

    private void startScan(CertMetrics metrics) {
        CertsConfig.Scan scan = config.scan();
        DiskCertificates disk = DiskCertificates.of(config);
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cert-scan");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(() -> {
            try {
                metrics.found(disk.scan());
            } catch (RuntimeException e) {
                LOG.errorf(e, "certificate scan failed");
            }
        }, 0, scan.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether this lineage's certificate is the one the agent's Kafka clients present: on the
     * mutual-TLS bus, the same file as {@code goldentooth.kafka.ssl.certificate} (start-up already
     * refused a Kafka lineage whose files differ from Kafka's).
     */
    public static boolean isKafkaIdentity(LineageSpec spec, KafkaSecurity security) {
        return security.protocol() == KafkaSecurity.Protocol.SSL && security.certificate() != null
                && spec.certPath().toAbsolutePath().normalize()
                        .equals(security.certificate().toAbsolutePath().normalize());
    }

    /** The lineages this node manages: the configured certificates, then the canary when enabled. */
    public static List<LineageSpec> specs(String node, CertsConfig config, Path stateDir) {
        List<LineageSpec> specs = new ArrayList<>();
        for (Map.Entry<String, CertsConfig.ManagedCertificate> entry : config.certificates().entrySet()) {
            String name = entry.getKey();
            CertsConfig.ManagedCertificate c = entry.getValue();
            if (config.canary().enabled() && name.equals(CANARY)) {
                throw new IllegalArgumentException(KEY + CANARY + ": the name is the canary's; choose another or "
                        + "set goldentooth.agent.canary.enabled=false");
            }
            String service = c.service().orElse(name);
            Optional<String> reload = c.reloadCommand().isEmpty()
                    ? Optional.of("systemctl try-reload-or-restart " + service)
                    : c.reloadCommand().filter(command -> !command.isBlank() && !command.equals("none"));
            specs.add(new LineageSpec(node, node + "/" + name, service, c.certPath(), c.keyPath(), c.chainPath(),
                    fileSpec(c.keyMode(), c, KEY + name + ".key-mode"),
                    fileSpec(c.certMode(), c, KEY + name + ".cert-mode"),
                    c.names().orElse(List.of(node, node + ".nodes.goldentooth.net")),
                    positive(c.lifetime(), KEY + name + ".lifetime"), reload,
                    c.probeEndpoint().map(p -> LineageSpec.Endpoint.parse(p, KEY + name + ".probe-endpoint"))));
        }
        if (config.canary().enabled()) {
            Path dir = stateDir.resolve("certs").resolve(CANARY);
            specs.add(new LineageSpec(node, node + "/" + CANARY, CANARY, dir.resolve("cert.pem"),
                    dir.resolve("key.pem"), Optional.of(dir.resolve("chain.pem")), FileSpec.mode("0600"),
                    FileSpec.mode("0644"), List.of(node),
                    positive(config.canary().lifetime(), "goldentooth.agent.canary.lifetime"), Optional.empty(),
                    Optional.empty()));
        }
        return specs;
    }

    /** The SSH host lineage when enabled; it proves with the X.509 lineages, so one of them must exist. */
    static Optional<SshCertificateSpec> sshHost(String node, CertsConfig.SshHost config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        positive(config.lifetime(), "goldentooth.agent.ssh-host.lifetime");
        Optional<String> reload = Optional.of(config.reloadCommand())
                .filter(command -> !command.isBlank() && !command.equals("none"));
        return Optional.of(new SshCertificateSpec(node, node + "/ssh-host", CertKind.SSH_HOST,
                SshCertificateSpec.hostCertificatePath(config), config.lifetime(), Optional.of(config.sshdConfigPath()),
                reload));
    }

    /**
     * The root user certificate's lineage when enabled. Its key logs in as root on every node that
     * trusts the SSH user CA, so only an agent already trusted with root tasks may hold one.
     */
    static Optional<SshCertificateSpec> sshRoot(String node, CertsConfig.SshRoot config, boolean allowRoot) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        if (!allowRoot) {
            throw new IllegalArgumentException("goldentooth.agent.ssh-root.enabled needs goldentooth.agent.allow-root"
                    + "=true: the key logs in as root on every node that trusts the SSH user CA");
        }
        Path key = config.keyPath();
        if (!key.isAbsolute() || key.getFileName().toString().endsWith(".pub")) {
            throw new IllegalArgumentException("goldentooth.agent.ssh-root.key-path must be the absolute path of the "
                    + "private key (the .pub and -cert.pub files go beside it), was " + key);
        }
        positive(config.lifetime(), "goldentooth.agent.ssh-root.lifetime");
        return Optional.of(new SshCertificateSpec(node, node + "/ssh-root", CertKind.SSH_USER,
                SshCertificateSpec.defaultCertificatePath(key), config.lifetime(), Optional.empty(), Optional.empty()));
    }

    private static FileSpec fileSpec(String mode, CertsConfig.ManagedCertificate c, String key) {
        try {
            return FileSpec.of(mode, c.owner(), c.group());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Duration positive(Duration value, String key) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
        return value;
    }

    /** The lineages and their state, for tests and a status report. */
    public RenewalLoop loop() {
        return loop;
    }

    public boolean consumersRunning() {
        return messaging != null && messaging.isRunning();
    }

    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return messaging != null && messaging.awaitAssignment(timeout);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scanner != null) {
            scanner.shutdownNow();
        }
        if (loop != null) {
            loop.close();
        }
        if (messaging != null) {
            messaging.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
