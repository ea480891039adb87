package net.goldentooth.pki.runtime;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertLineageView;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.pki.authority.CaPassword;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.config.PkiConfig;
import net.goldentooth.pki.enrolment.LineLedger;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.inventory.AnsibleInventory;
import net.goldentooth.pki.inventory.CertificateInventory;
import net.goldentooth.pki.issuance.Issuer;
import net.goldentooth.pki.messaging.PkiConsumers;
import net.goldentooth.pki.messaging.PkiPublisher;
import net.goldentooth.pki.policy.ClockOffsets;
import net.goldentooth.pki.policy.ClockSkewPolicy;
import net.goldentooth.pki.policy.LifetimePolicy;
import net.goldentooth.pki.policy.RenewalPolicy;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Wires the CA to Kafka. At start-up: the certificate inventory is rebuilt from
 * {@code cert.issued} and the tiers already announced from {@code cert.expiring}, the CA is loaded (or initialised), the trust bundle is published, and only
 * then are requests read. Each batch of requests is answered, the answers acknowledged by the
 * broker, and only then committed.
 */
@ApplicationScoped
public class PkiApp {

    private static final Logger LOG = Logger.getLogger(PkiApp.class);
    public static final String SOURCE = "//pki-service";
    /** Answers kept by request id, so a redelivered request gets the same answer, not "token reused". */
    private static final int ANSWER_MEMORY = 10_000;
    /**
     * Producer batch size: a node's answers of a batch in a few produce requests, and half of
     * {@code cert.issued}'s 1 MiB record-batch limit (a batch only grows past this for one record
     * that is larger by itself).
     */
    private static final int ANSWER_BATCH_BYTES = 512 << 10;

    @Inject
    PkiConfig config;
    @Inject
    Clock clock;
    @Inject
    PkiMetrics metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private char[] password;
    private AnsibleInventory nodes;
    private LineLedger revoked;
    private TokenCheck tokens;
    private final CertificateInventory inventory = new CertificateInventory();
    private static final java.time.Duration HEARTBEATS_LOOKBACK = java.time.Duration.ofMinutes(2);
    private final ClockOffsets clockOffsets = new ClockOffsets();
    private final Map<String, CertIssued> answers = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CertIssued> eldest) {
            return size() > ANSWER_MEMORY;
        }
    };
    /** Requests of the current batch; touched only by the request consumer's thread. */
    private final List<CertRequest> pending = new ArrayList<>();
    /** Decides a batch's requests in parallel: signing and verifying are CPU-bound. */
    private final ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "pki-issuer");
                t.setDaemon(true);
                return t;
            });
    private volatile Authorities authorities;
    private Issuer.Rules rules;
    private EventPublisher events;
    private PkiPublisher publisher;
    private PkiConsumers consumers;
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private ScheduledExecutorService scanner;
    private volatile String publishedTaskKey;
    private volatile boolean ready;
    /**
     * Held while tokens are claimed and made durable: by a batch of {@code cert.requested} and by an
     * enrolment over HTTPS, so neither persists nor abandons the other's claims.
     */
    private final Object spending = new Object();

    /** The three CAs, present once initialised. */
    private record Authorities(CertificateAuthority x509, SshCertificateAuthority hosts, SshCertificateAuthority users,
                               Issuer issuer) {
    }

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
        try {
            password = CaPassword.loadOrCreate(config.passwordFile());
        } catch (IOException e) {
            throw new IOException("goldentooth.pki.password-file " + config.passwordFile() + ": " + e.getMessage(), e);
        }
        try {
            nodes = AnsibleInventory.load(config.inventory());
        } catch (IOException e) {
            throw new IOException("goldentooth.pki.inventory: " + e.getMessage(), e);
        }
        LOG.infof("inventory %s: %d hosts", config.inventory(), nodes.size());
        revoked = new LineLedger(stateDir.resolve("revoked-lineages"));
        tokens = new TokenCheck(config.tokenSigningPublicKey(), new LineLedger(stateDir.resolve("used-tokens")));
        rules = new Issuer.Rules(new LifetimePolicy(config.defaultLifetime(), config.maxLifetime()),
                new LifetimePolicy(config.sshLifetime(), config.sshLifetime()), new RenewalPolicy(config.renewalGrace()),
                new ClockSkewPolicy(config.maxClockOffset().toMillis() / 1000.0));

        // A batch's answers (up to 2,000 of about 2.5 KiB) are sent together and then awaited. The
        // producer sends one batch per partition per request and keeps five requests in flight, so
        // with the default 16 KiB batches a node's answers took dozens of broker round trips.
        events = new EventPublisher(bootstrap, SOURCE, clock, Map.of(ProducerConfig.BATCH_SIZE_CONFIG, ANSWER_BATCH_BYTES));
        publisher = new PkiPublisher(events);
        consumers = new PkiConsumers(bootstrap, events, metrics::deadLettered);
        long replayed = consumers.replayIssued(inventory::record);
        LOG.infof("certificate inventory: %d lineages from %d cert.issued records", inventory.size(), replayed);
        long announced = consumers.replayExpiring(inventory::restoreAnnounced);
        LOG.infof("expiry tiers: %d earlier cert.expiring records read back", announced);
        loops.add(consumers.facts(this::recordFacts));
        // The newest beat per node is all the policy needs: a couple of minutes back is plenty.
        loops.add(consumers.heartbeats(clock.instant().minus(HEARTBEATS_LOOKBACK), clockOffsets::heartbeat));
        loops.add(consumers.renewed(inventory::record));
        loops.add(consumers.renewalFailed(inventory::record));

        if (CertificateAuthority.exists(stateDir)) {
            open(false);
        } else if (config.autoInit()) {
            open(true);
        } else {
            LOG.warnf("the CA is not initialised (goldentooth.pki.auto-init=false); POST /ca/init initialises it");
        }
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pki-expiry-scanner");
            t.setDaemon(true);
            return t;
        });
        long every = config.expiryScanInterval().toMillis();
        scanner.scheduleWithFixedDelay(this::scanSafely, every, every, TimeUnit.MILLISECONDS);
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

    /** Ready once the inventory is rebuilt and every consumer runs (requests only once initialised). */
    public boolean ready() {
        return ready && loops.stream().allMatch(ConsumerLoop::isRunning);
    }

    /** {@code POST /ca/init}: initialises the CA if it is not; either way answers its status. */
    public synchronized CaStatus initialise() {
        if (authorities == null) {
            try {
                open(!CertificateAuthority.exists(config.stateDir()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return status();
    }

    private synchronized void open(boolean create) throws IOException {
        Path dir = config.stateDir();
        CertificateAuthority x509 = create ? CertificateAuthority.initialise(dir, password, clock)
                : CertificateAuthority.load(dir, password);
        SshCertificateAuthority hosts = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST,
                dir.resolve("ssh-host-ca.p12"), password, clock);
        SshCertificateAuthority users = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER,
                dir.resolve("ssh-user-ca.p12"), password, clock);
        Issuer issuer = new Issuer(new Issuer.Parts(x509, hosts, users, nodes::node, tokens, inventory,
                revoked::contains, clockOffsets::offsetOf), rules, clock);
        authorities = new Authorities(x509, hosts, users, issuer);
        LOG.infof("CA %s: root '%s', SSH host CA %s, SSH user CA %s", create ? "initialised" : "loaded",
                x509.root().getSubjectX500Principal().getName(), hosts.fingerprint(), users.fingerprint());
        publishTrust();
        loops.add(consumers.requests(this::collect, this::answerBatch));
    }

    /**
     * The request handler only queues: a request that cannot be routed back to its node is poison
     * (thrown, so the loop dead-letters it); everything else is answered by {@link #answerBatch()}.
     */
    private void collect(CertRequest request) {
        NodeRouting.lineageKey(request.node(), request.lineage());
        pending.add(request);
    }

    /**
     * After each batch: decide every request (in parallel across lineages, in order within one),
     * write the enrolment tokens the batch spent with one fsync, then record and publish the
     * answers in request order, wait for the broker once, and only then are the requests
     * committed. A token is thus durable before the certificate it paid for leaves the service,
     * at one fsync per batch rather than per token. A failure before the tokens are durable
     * forgets the batch's new answers and token claims, so the batch, read again, is decided
     * afresh; after that, redelivered requests get their remembered answers.
     */
    private void answerBatch() {
        List<CertRequest> batch = List.copyOf(pending);
        pending.clear();
        if (batch.isEmpty()) {
            return;
        }
        CertIssued[] decided = new CertIssued[batch.size()];
        Map<String, List<Integer>> byLineage = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byLineage.computeIfAbsent(batch.get(i).lineage(), l -> new ArrayList<>()).add(i);
        }
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> work = new ArrayList<>();
        byLineage.values().forEach(indices -> work.add(() -> {
            for (int i : indices) {
                decided[i] = decide(batch.get(i), fresh);
            }
            return null;
        }));
        synchronized (spending) {
            decideAll(work, fresh);
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (CertIssued answer : decided) {
            inventory.record(answer);
            sent.add(publisher.issued(answer));
        }
        publisher.flush();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * An enrolment over HTTPS ({@code POST /enrolment}): the node has no certificate yet, so it
     * cannot reach Kafka, where requests normally arrive. Decided by the same issuer and policy as
     * an {@code enroll} on {@code cert.requested}; the token is durable before the answer is
     * published on {@code cert.issued} (so the inventory and a restart see the certificate) and
     * before it is returned.
     *
     * @return the issuer's answer, a certificate or a refusal
     * @throws NotInitialisedException before the CA is initialised
     */
    public CertIssued enrol(CertRequest request) {
        Authorities ca = authorities;
        if (ca == null) {
            throw new net.goldentooth.pki.api.NotInitialisedException();
        }
        CertIssued answer;
        synchronized (spending) {
            try {
                answer = ca.issuer().handle(request);
                tokens.persistSpent();
            } catch (RuntimeException e) {
                tokens.abandonUnpersisted();
                throw e;
            }
        }
        if (answer.issued()) {
            metrics.issued(answer.kind());
            LOG.infof("issued %s %s to %s over HTTPS, serial %s, until %s", answer.kind().wire(), answer.lineage(),
                    answer.node(), answer.serial(), answer.notAfter());
            inventory.record(answer);
            CompletableFuture<?> sent = publisher.issued(answer);
            publisher.flush();
            try {
                // The token is spent: the node gets its certificate even when the broker is slow to
                // acknowledge; the record is still in the producer's hands and the inventory has it.
                sent.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warnf("cert.issued for %s (serial %s) not acknowledged yet: %s", answer.lineage(), answer.serial(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
        } else {
            metrics.refused(answer.refusal().reason());
            LOG.warnf("refused enroll over HTTPS for %s: %s: %s", request.lineage(), answer.refusal().reason().wire(),
                    answer.refusal().message());
        }
        return answer;
    }

    private void decideAll(List<Callable<Void>> work, Set<String> fresh) {
        try {
            for (Future<Void> done : workers.invokeAll(work)) {
                done.get();
            }
            tokens.persistSpent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forget(fresh);
            throw new IllegalStateException("interrupted while answering certificate requests", e);
        } catch (ExecutionException e) {
            forget(fresh);
            throw new IllegalStateException("answering certificate requests failed", e.getCause());
        } catch (RuntimeException e) {
            forget(fresh);
            throw e;
        }
    }

    /** Drops a failed batch's unpublished answers and token claims. */
    private void forget(Set<String> freshRequestIds) {
        tokens.abandonUnpersisted();
        synchronized (answers) {
            answers.keySet().removeAll(freshRequestIds);
        }
    }

    /**
     * One request's answer: the remembered one for a redelivery, else the issuer's (its request id
     * then joins {@code fresh}).
     */
    private CertIssued decide(CertRequest request, Set<String> fresh) {
        MDC.put("requestId", String.valueOf(request.requestId()));
        MDC.put("lineage", request.lineage());
        try {
            synchronized (answers) {
                CertIssued earlier = answers.get(request.requestId());
                if (earlier != null) {
                    return earlier;
                }
            }
            CertIssued answer;
            try {
                answer = authorities.issuer().handle(request);
            } catch (RuntimeException e) {
                // A bug must not hold up the whole partition: the node gets an answer, the log the stack.
                LOG.errorf(e, "request %s failed unexpectedly", request.requestId());
                answer = CertIssued.refused(request, RefusalReason.BAD_REQUEST,
                        "pki-service could not handle the request: " + e, clock.instant());
            }
            if (answer.issued()) {
                metrics.issued(answer.kind());
                LOG.infof("issued %s %s to %s, serial %s, until %s", answer.kind().wire(), answer.lineage(),
                        answer.node(), answer.serial(), answer.notAfter());
            } else {
                metrics.refused(answer.refusal().reason());
                LOG.warnf("refused %s for %s: %s: %s", request.kind() == null ? "?" : request.kind().wire(),
                        request.lineage(), answer.refusal().reason().wire(), answer.refusal().message());
            }
            synchronized (answers) {
                answers.put(request.requestId(), answer);
            }
            fresh.add(request.requestId());
            return answer;
        } finally {
            MDC.remove("requestId");
            MDC.remove("lineage");
        }
    }

    private void recordFacts(NodeFacts facts) {
        if (facts.node() == null) {
            return;
        }
        NodeFacts.Section<NodeFacts.TimeSync> time = facts.timeSync();
        Double offset = time == null || time.value() == null ? null : time.value().offsetSeconds();
        clockOffsets.reported(facts.node(), offset);
        NodeFacts.Section<List<NodeFacts.FoundCertificate>> found = facts.certificates();
        List<NodeFacts.FoundCertificate> foreign = found == null || found.value() == null ? List.of()
                : found.value().stream().filter(c -> !issuedHere(c)).toList();
        inventory.recordFound(facts.node(), foreign);
    }

    /**
     * Whether a certificate found on a node is one of ours, already watched as its own lineage: the
     * agent's managed lineages, and anything whose issuer is our intermediate (known once initialised).
     */
    private boolean issuedHere(NodeFacts.FoundCertificate certificate) {
        if (certificate.managed()) {
            return true;
        }
        Authorities ca = authorities;
        if (ca == null || certificate.issuer() == null) {
            return false;
        }
        try {
            return new X500Principal(certificate.issuer()).equals(ca.x509().intermediate().getSubjectX500Principal());
        } catch (IllegalArgumentException e) {
            return false; // an issuer name we cannot parse is certainly not ours
        }
    }

    /** {@code POST /lineages/{lineage}/revoke}: durable, then announced in a new trust bundle. */
    public boolean revoke(String lineage) {
        boolean added = revoked.add(lineage);
        if (added) {
            LOG.warnf("revoked lineage %s; it will never be renewed", lineage);
            if (authorities != null) {
                publishTrust();
            }
        }
        return added;
    }

    public Set<String> revokedLineages() {
        return new TreeSet<>(revoked.entries());
    }

    private synchronized void publishTrust() {
        Authorities ca = authorities;
        String taskKey = tokens.publicKeyPem();
        List<String> revokedList = List.copyOf(revokedLineages());
        // Deterministic across restarts: revocations are never undone and the task key only appears.
        long revision = 1 + revokedList.size() + (taskKey == null ? 0 : 1);
        TrustBundle bundle = new TrustBundle(Pem.of(ca.x509().root()), Pem.of(ca.x509().intermediate()),
                ca.hosts().publicKeyLine(), ca.users().publicKeyLine(), taskKey, revokedList, revision, clock.instant());
        publisher.trust(bundle).join();
        publishedTaskKey = taskKey;
        LOG.infof("published trust bundle revision %d", revision);
    }

    private void scanSafely() {
        try {
            if (authorities != null && publishedTaskKey == null && tokens.publicKeyPem() != null) {
                publishTrust();
            }
            scanExpiry();
        } catch (RuntimeException e) {
            LOG.errorf(e, "expiry scan failed; retrying at the next interval");
        }
    }

    /** Publishes {@code cert.expiring} for every lineage that reached a new tier; returns them. */
    public List<CertExpiring> scanExpiry() {
        List<CertExpiring> due = inventory.dueExpiryEvents(clock.instant(), revokedLineages());
        try {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (CertExpiring expiring : due) {
                LOG.warnf("%s of %s reached %s (notAfter %s)", expiring.lineage(), expiring.node(),
                        expiring.tier().wire(), expiring.notAfter());
                sent.add(publisher.expiring(expiring));
            }
            if (!sent.isEmpty()) {
                publisher.flush();
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            }
        } catch (RuntimeException e) {
            // Not acknowledged (the broker was away): announce them again at the next scan.
            inventory.unannounce(due);
            throw e;
        }
        return due;
    }

    public List<CertLineageView> certificates() {
        return inventory.view(clock.instant(), revokedLineages());
    }

    public CaStatus status() {
        Authorities ca = authorities;
        if (ca == null) {
            return new CaStatus(false, null, null, null, null, null, null, inventory.size(), revoked.entries().size(), 0);
        }
        return new CaStatus(true, ca.x509().root().getSubjectX500Principal().getName(),
                ca.x509().root().getNotAfter().toInstant(), ca.x509().intermediate().getSubjectX500Principal().getName(),
                ca.x509().intermediate().getNotAfter().toInstant(), ca.hosts().fingerprint(), ca.users().fingerprint(),
                inventory.size(), revoked.entries().size(),
                1 + revoked.entries().size() + (publishedTaskKey == null ? 0 : 1));
    }

    /** The CRL (PEM) of the newest certificates of revoked lineages, or null before initialisation. */
    public String crlPem() {
        Authorities ca = authorities;
        if (ca == null) {
            return null;
        }
        List<BigInteger> serials = inventory.serialsOf(revokedLineages()).stream()
                .map(s -> new BigInteger(s, 16)).toList();
        return Pem.of(ca.x509().crl(serials, clock.instant(), Duration.ofDays(1)));
    }

    public boolean initialised() {
        return authorities != null;
    }
}
