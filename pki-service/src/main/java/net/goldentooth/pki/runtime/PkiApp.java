package net.goldentooth.pki.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.pki.authority.CaPassword;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.config.PkiConfig;
import net.goldentooth.pki.desk.Authorities;
import net.goldentooth.pki.desk.PkiDesk;
import net.goldentooth.pki.enrolment.LineLedger;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.desk.PkiOutbox;
import net.goldentooth.pki.inventory.AnsibleInventory;
import net.goldentooth.pki.issuance.Issuer;
import net.goldentooth.pki.messaging.CertRequestBatches;
import net.goldentooth.pki.messaging.CertRequestChannels;
import net.goldentooth.pki.messaging.ClaimLog;
import net.goldentooth.pki.messaging.PkiConsumers;
import net.goldentooth.pki.messaging.PkiPublisher;
import net.goldentooth.pki.policy.ClockSkewPolicy;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.RenewalPolicy;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Quarkus shell around {@link PkiDesk}. At start-up: the files are loaded (password,
 * inventory, ledgers), the certificate inventory is rebuilt from {@code cert.issued} and the tiers
 * already announced from {@code cert.expiring}, the CA is loaded (or initialised), the trust bundle
 * is published, and only then are requests read. The request consumer hands each record to the
 * desk and calls {@link PkiDesk#answerBatch()} after each batch, whose return (answers acknowledged
 * by the broker) lets the loop commit.
 */
@ApplicationScoped
public class PkiApp {

    private static final Logger LOG = Logger.getLogger(PkiApp.class);
    public static final String SOURCE = "//pki-service";
    /**
     * Producer batch size: a node's answers of a batch in a few produce requests, and half of
     * {@code cert.issued}'s 1 MiB record-batch limit (a batch only grows past this for one record
     * that is larger by itself).
     */
    private static final int ANSWER_BATCH_BYTES = 512 << 10;
    /** The newest beat per node is all the clock-skew policy needs: a couple of minutes back is plenty. */
    private static final Duration HEARTBEATS_LOOKBACK = Duration.ofMinutes(2);
    /** How long a batch waits for its claims to be acknowledged and read back before it is read again. */
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(15);

    @Inject
    PkiConfig config;
    @Inject
    Clock clock;
    @Inject
    PkiMetrics metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    /** The SmallRye channels of cert.requested/cert.issued; used only with goldentooth.pki.smallrye. */
    @Inject
    CertRequestChannels channels;

    private final ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "pki-issuer");
                t.setDaemon(true);
                return t;
            });
    private final List<ConsumerLoop<?>> loops = new CopyOnWriteArrayList<>();
    private volatile PkiDesk desk;
    private EventPublisher events;
    private PkiConsumers consumers;
    private ScheduledExecutorService scanner;
    private volatile boolean ready;

    void onStart(@Observes StartupEvent event) throws IOException {
        Path stateDir = config.stateDir();
        try {
            Files.createDirectories(stateDir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IOException("goldentooth.pki.state-dir " + stateDir + " cannot be created: " + e, e);
        }
        if (config.defaultLifetime().compareTo(config.maxLifetime()) > 0) {
            throw new IllegalArgumentException("goldentooth.pki.default-lifetime " + config.defaultLifetime()
                    + " exceeds goldentooth.pki.max-lifetime " + config.maxLifetime());
        }
        char[] password;
        try {
            password = CaPassword.loadOrCreate(config.passwordFile());
        } catch (IOException e) {
            throw new IOException("goldentooth.pki.password-file " + config.passwordFile() + ": " + e.getMessage(), e);
        }
        AnsibleInventory nodes;
        try {
            nodes = AnsibleInventory.load(config.inventory());
        } catch (IOException e) {
            throw new IOException("goldentooth.pki.inventory: " + e.getMessage(), e);
        }
        LOG.infof("inventory %s: %d hosts", config.inventory(), nodes.size());
        LineLedger revoked = new LineLedger(stateDir.resolve("revoked-lineages"));
        TokenCheck tokens = new TokenCheck(config.tokenSigningPublicKey(), new LineLedger(stateDir.resolve("used-tokens")));
        Issuer.Rules rules = new Issuer.Rules(new LifetimePolicy(config.defaultLifetime(), config.maxLifetime()),
                new LifetimePolicy(config.sshLifetime(), config.sshLifetime()), new RenewalPolicy(config.renewalGrace()),
                new ClockSkewPolicy(config.maxClockOffset().toMillis() / 1000.0));

        // A batch's answers (up to 2,000 of about 2.5 KiB) are sent together and then awaited. The
        // producer sends one batch per partition per request and keeps five requests in flight, so
        // with the default 16 KiB batches a node's answers took dozens of broker round trips.
        events = new EventPublisher(bootstrap, SOURCE, clock, Map.of(ProducerConfig.BATCH_SIZE_CONFIG, ANSWER_BATCH_BYTES));
        consumers = new PkiConsumers(bootstrap, events, metrics::deadLettered);
        String instance = "pki-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ClaimLog claims = new ClaimLog(bootstrap, events, metrics::deadLettered, instance, clock, CLAIM_WAIT);
        loops.add(claims.follower());
        LOG.infof("instance %s: tokens and certificates are claimed on pki.claims before they are used", instance);
        PkiOutbox outbox = new PkiPublisher(events);
        if (config.smallrye()) {
            outbox = channels.outbox(outbox, SOURCE, clock);
            LOG.infof("cert.requested and cert.issued on SmallRye channels (goldentooth.pki.smallrye)");
        }
        PkiDesk created = new PkiDesk(new PkiDesk.Parts(nodes::node, tokens, revoked, rules,
                store(stateDir, password), outbox, metrics, workers, claims, this::readRequests), clock);
        long replayed = consumers.replayIssued(created::recordIssued);
        LOG.infof("certificate inventory: %d lineages from %d cert.issued records", created.lineages(), replayed);
        long announced = consumers.replayExpiring(created::restoreAnnounced);
        LOG.infof("expiry tiers: %d earlier cert.expiring records read back", announced);
        // Revocations made through another instance: adopted before this one publishes a bundle of its own.
        List<String> adopted = new ArrayList<>();
        consumers.replayTrust(bundle -> adopted.addAll(created.adoptRevocations(bundle)));
        LOG.infof("pki.trust read back: %d revocations adopted from other instances", adopted.size());
        loops.add(consumers.trust(created::adoptRevocations));
        loops.add(consumers.facts(created::recordFacts));
        loops.add(consumers.heartbeats(clock.instant().minus(HEARTBEATS_LOOKBACK), created::heartbeat));
        loops.add(consumers.renewed(created::recordRenewed));
        loops.add(consumers.renewalFailed(created::recordRenewalFailed));
        desk = created;

        if (CertificateAuthority.exists(stateDir)) {
            created.open(false);
        } else if (config.autoInit()) {
            created.open(true);
        } else {
            LOG.warnf("the CA is not initialised (goldentooth.pki.auto-init=false); POST /ca/init initialises it");
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pki-expiry-scanner");
            t.setDaemon(true);
            return t;
        });
        long every = config.expiryScanInterval().toMillis();
        scanner.scheduleWithFixedDelay(created::scan, every, every, TimeUnit.MILLISECONDS);
        ready = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        ready = false;
        if (scanner != null) {
            scanner.shutdownNow();
        }
        loops.forEach(ConsumerLoop::close);
        workers.shutdownNow();
        if (events != null) {
            events.close();
        }
    }

    /** The core the REST resources work with; there once start-up has loaded the files. */
    @Produces
    @Singleton
    PkiDesk desk() {
        PkiDesk current = desk;
        if (current == null) {
            throw new IllegalStateException("pki-service is still starting");
        }
        return current;
    }

    /** Ready once the inventory is rebuilt and every consumer runs (requests only once initialised). */
    public boolean ready() {
        return ready && loops.stream().allMatch(ConsumerLoop::isRunning);
    }

    public boolean initialised() {
        PkiDesk current = desk;
        return current != null && current.initialised();
    }

    /** The CAs' key-store files under the state directory, all encrypted with the CA password. */
    private Authorities.Store store(Path dir, char[] password) {
        return new Authorities.Store() {
            @Override
            public boolean exists() {
                return CertificateAuthority.exists(dir);
            }

            @Override
            public Authorities open(boolean create) throws IOException {
                CertificateAuthority x509 = create ? CertificateAuthority.initialise(dir, password, clock)
                        : CertificateAuthority.load(dir, password);
                return new Authorities(x509,
                        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST,
                                dir.resolve("ssh-host-ca.p12"), password, clock),
                        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER,
                                dir.resolve("ssh-user-ca.p12"), password, clock));
            }
        };
    }

    /** Once the CA is open: requests are read, each batch answered by the desk. */
    private void readRequests() {
        PkiDesk current = desk;
        if (config.smallrye()) {
            channels.attach(new CertRequestBatches.Desk() {
                @Override
                public void collect(net.goldentooth.events.cert.CertRequest request) {
                    current.collect(request);
                }

                @Override
                public List<net.goldentooth.events.cert.CertIssued> answerBatch() {
                    return current.answerBatch();
                }
            }, metrics::deadLettered);
            return;
        }
        loops.add(consumers.requests(current::collect, current::answerBatch));
    }
}
