package net.goldentooth.pki.desk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertLineageView;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.heartbeat.NodeHeartbeat;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.enrolment.LineLedger;
import net.goldentooth.pki.enrolment.TokenCheck;
import net.goldentooth.pki.errors.PkiError;
import net.goldentooth.pki.inventory.CertificateInventory;
import net.goldentooth.pki.issuance.Issuer;
import net.goldentooth.pki.policy.ClockOffsets;
import net.goldentooth.pki.policy.NodeIdentity;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * pki-service's core, without Quarkus or a broker: answering batches of certificate requests,
 * enrolment over HTTPS, folding facts, heartbeats and renewal reports into the inventory,
 * revocation, the trust bundle and the expiry scan. What it publishes goes to a {@link PkiOutbox}
 * whose futures complete on the broker's acknowledgement; the Quarkus shell
 * ({@code runtime.PkiApp}) loads the files, feeds the consumers in and schedules the scan.
 *
 * <p>Threads: {@link #collect} and {@link #answerBatch} run on the request consumer's thread;
 * the fold methods on their consumers' threads; {@link #enrol}, {@link #revoke} and the views on
 * HTTP threads; {@link #scan} on the scanner's. Shared state is guarded where it is kept.
 */
public final class PkiDesk {

    private static final Logger LOG = Logger.getLogger(PkiDesk.class);
    /** Answers kept by request id, so a redelivered request gets the same answer, not "token reused". */
    private static final int ANSWER_MEMORY = 10_000;
    /** How long an enrolment over HTTPS waits for the broker before answering anyway. */
    private static final Duration ENROLMENT_ACK_WAIT = Duration.ofSeconds(10);

    /**
     * What the desk is given.
     *
     * @param nodes   the inventory's node identities, by name
     * @param tokens  the enrolment-token check and its used-token ledger
     * @param revoked the durable ledger of revoked lineages
     * @param store   where the CAs are loaded from or created
     * @param workers decides a batch's lineages in parallel (signing and verifying are CPU-bound)
     * @param arbiter where this instance and the others agree on spent tokens and issued requests
     *                before a certificate is published ({@code pki.claims})
     * @param opened  called once each time the CAs are opened and the trust bundle is published:
     *                the shell starts reading requests then
     */
    public record Parts(Function<String, Optional<NodeIdentity>> nodes, TokenCheck tokens, LineLedger revoked,
                        Issuer.Rules rules, Authorities.Store store, PkiOutbox outbox, PkiCounters counters,
                        ExecutorService workers, ClaimArbiter arbiter, Runnable opened) {
    }

    private final Parts parts;
    private final Clock clock;
    private final CertificateInventory inventory = new CertificateInventory();
    private final ClockOffsets clockOffsets = new ClockOffsets();
    private final Map<String, CertIssued> answers = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CertIssued> eldest) {
            return size() > ANSWER_MEMORY;
        }
    };
    /** Requests of the current batch; touched only by the request consumer's thread. */
    private final List<CertRequest> pending = new ArrayList<>();
    /**
     * Held while tokens are claimed and made durable: by a batch of {@code cert.requested} and by an
     * enrolment over HTTPS, so neither persists nor abandons the other's claims.
     */
    private final Object spending = new Object();
    private volatile Open open;
    private volatile String publishedTaskKey;

    /** The CAs and the issuer made of them, present once initialised. */
    private record Open(Authorities ca, Issuer issuer) {
    }

    public PkiDesk(Parts parts, Clock clock) {
        this.parts = parts;
        this.clock = clock;
    }

    /** Opens the CAs (creating them when asked to), publishes the trust bundle and says so to the shell. */
    public synchronized void open(boolean create) throws IOException {
        Authorities ca = parts.store().open(create);
        Issuer issuer = new Issuer(new Issuer.Parts(ca.x509(), ca.hosts(), ca.users(), parts.nodes(), parts.tokens(),
                inventory, parts.revoked()::contains, clockOffsets::offsetOf), parts.rules(), clock);
        open = new Open(ca, issuer);
        LOG.infof("CA %s: root '%s', SSH host CA %s, SSH user CA %s", create ? "initialised" : "loaded",
                ca.x509().root().getSubjectX500Principal().getName(), ca.hosts().fingerprint(), ca.users().fingerprint());
        publishTrust();
        parts.opened().run();
    }

    /** {@code POST /ca/init}: initialises the CA if it is not; either way answers its status. */
    public synchronized CaStatus initialise() {
        if (open == null) {
            try {
                open(!parts.store().exists());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return status();
    }

    public boolean initialised() {
        return open != null;
    }

    // ---- what the consumers feed in

    /** A {@code cert.issued} record read back at start-up, or a renewal's outcome. */
    public void recordIssued(CertIssued answer) {
        inventory.record(answer);
    }

    public void recordRenewed(CertRenewed renewed) {
        inventory.record(renewed);
    }

    public void recordRenewalFailed(CertRenewalFailed failed) {
        inventory.record(failed);
    }

    /** An earlier {@code cert.expiring}, read back at start-up so a tier is not announced twice. */
    public void restoreAnnounced(CertExpiring earlier) {
        inventory.restoreAnnounced(earlier);
    }

    public void heartbeat(NodeHeartbeat beat, Instant appendedAt) {
        clockOffsets.heartbeat(beat, appendedAt);
    }

    /** A node's facts: its reported clock offset, and the certificates on its disks that we did not issue. */
    public void recordFacts(NodeFacts facts) {
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

    /** How many lineages the inventory holds. */
    public int lineages() {
        return inventory.size();
    }

    // ---- requests

    /**
     * The request handler only queues: a request that cannot be routed back to its node is poison
     * (thrown, so the loop dead-letters it); everything else is answered by {@link #answerBatch()}.
     */
    public void collect(CertRequest request) {
        NodeRouting.lineageKey(request.node(), request.lineage());
        pending.add(request);
    }

    /**
     * After each batch: decide every request (in parallel across lineages, in order within one),
     * write the enrolment tokens the batch spent with one fsync, then record and publish the
     * answers in request order, wait for the broker once, and only then may the requests be
     * committed (the caller commits when this returns). A token is thus durable before the
     * certificate it paid for leaves the service, at one fsync per batch rather than per token. A
     * failure before the tokens are durable forgets the batch's new answers and token claims, so
     * the batch, read again, is decided afresh; after that, redelivered requests get their
     * remembered answers.
     *
     * @return the answers, in request order
     */
    public List<CertIssued> answerBatch() {
        List<CertRequest> batch = List.copyOf(pending);
        pending.clear();
        if (batch.isEmpty()) {
            return List.of();
        }
        Issuer issuer = open.issuer();
        CertIssued[] decided = new CertIssued[batch.size()];
        Map<String, List<Integer>> byLineage = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byLineage.computeIfAbsent(batch.get(i).lineage(), l -> new ArrayList<>()).add(i);
        }
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> work = new ArrayList<>();
        byLineage.values().forEach(indices -> work.add(() -> {
            for (int i : indices) {
                decided[i] = decide(issuer, batch.get(i), fresh);
            }
            return null;
        }));
        Set<Integer> withdrawn;
        synchronized (spending) {
            withdrawn = decideAll(work, fresh, batch, decided);
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        List<CertIssued> published = new ArrayList<>();
        Set<String> counted = new java.util.HashSet<>();
        for (int i = 0; i < decided.length; i++) {
            if (withdrawn.contains(i)) {
                continue;
            }
            CertIssued answer = decided[i];
            if (answer.issued() && fresh.contains(answer.requestId()) && counted.add(answer.requestId())) {
                countIssued(answer, "");
            }
            inventory.record(answer);
            sent.add(parts.outbox().issued(answer));
            published.add(answer);
        }
        parts.outbox().flush();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        return List.copyOf(published);
    }

    private void countIssued(CertIssued answer, String how) {
        parts.counters().issued(answer.kind());
        LOG.infof("issued %s %s to %s%s, serial %s, until %s", answer.kind().wire(), answer.lineage(),
                answer.node(), how, answer.serial(), answer.notAfter());
    }

    /**
     * The claims a batch's new certificates rest on: the request itself and, when it was paid for
     * with a token, that token. A request read twice in one batch is claimed once.
     */
    private List<ClaimArbiter.Claim> claimsOf(List<CertRequest> batch, CertIssued[] decided, Set<String> fresh) {
        Set<ClaimArbiter.Claim> claims = new java.util.LinkedHashSet<>();
        for (int i = 0; i < decided.length; i++) {
            CertIssued answer = decided[i];
            if (!answer.issued() || !fresh.contains(answer.requestId())) {
                continue;
            }
            CertRequest request = batch.get(i);
            claims.add(ClaimArbiter.Claim.request(request.requestId()));
            if (Issuer.spendsToken(request)) {
                claims.add(ClaimArbiter.Claim.token(parts.tokens().tokenIdOf(request.token()), request.requestId()));
            }
        }
        return List.copyOf(claims);
    }

    /**
     * Settles the batch's new certificates with the other instances: a certificate whose request
     * another instance claimed first is withdrawn (that instance answers it; the batch positions are
     * returned); one whose token another request claimed first becomes a {@code token-reused} refusal.
     */
    private Set<Integer> arbitrate(List<CertRequest> batch, CertIssued[] decided, Set<String> fresh) {
        List<ClaimArbiter.Claim> claims = claimsOf(batch, decided, fresh);
        if (claims.isEmpty()) {
            return Set.of();
        }
        Set<String> lost = parts.arbiter().lost(claims);
        Set<String> requestLost = new java.util.HashSet<>();
        Set<String> tokenLost = new java.util.HashSet<>();
        for (ClaimArbiter.Claim claim : claims) {
            if (lost.contains(claim.key())) {
                (claim.key().startsWith("request:") ? requestLost : tokenLost).add(claim.requestId());
            }
        }
        Set<Integer> withdrawn = new TreeSet<>();
        Map<String, CertIssued> refusals = new java.util.HashMap<>();
        for (int i = 0; i < decided.length; i++) {
            CertRequest request = batch.get(i);
            String id = request.requestId();
            if (!decided[i].issued() || !fresh.contains(id)) {
                continue;
            }
            if (requestLost.contains(id)) {
                withdrawn.add(i);
                if (refusals.putIfAbsent(id, decided[i]) == null) {
                    LOG.infof("request %s (%s) is answered by the instance that claimed it first; not answered here",
                            id, request.lineage());
                    synchronized (answers) {
                        answers.remove(id);
                    }
                }
            } else if (tokenLost.contains(id)) {
                decided[i] = refusals.computeIfAbsent(id, k -> {
                    CertIssued refusal = CertIssued.refused(request, RefusalReason.TOKEN_REUSED,
                            "the token was already used (spent through another pki-service instance)", clock.instant());
                    parts.counters().refused(refusal.refusal().reason());
                    LOG.warnf("refused %s for %s: its token was spent first through another instance",
                            request.kind().wire(), request.lineage());
                    synchronized (answers) {
                        answers.put(id, refusal);
                    }
                    return refusal;
                });
            }
        }
        return withdrawn;
    }

    /**
     * An enrolment over HTTPS ({@code POST /enrolment}): the node has no certificate yet, so it
     * cannot reach Kafka, where requests normally arrive. Decided by the same issuer and policy as
     * an {@code enroll} on {@code cert.requested}; the token is durable before the answer is
     * published on {@code cert.issued} (so the inventory and a restart see the certificate) and
     * before it is returned.
     *
     * @return the issuer's answer, a certificate or a refusal; empty before the CA is initialised
     */
    public Optional<CertIssued> enrol(CertRequest request) {
        Open ca = open;
        if (ca == null) {
            return Optional.empty();
        }
        CertIssued answer;
        synchronized (spending) {
            try {
                answer = ca.issuer().handle(request);
                if (answer.issued()) {
                    String tokenId = parts.tokens().tokenIdOf(request.token());
                    if (!parts.arbiter().lost(List.of(ClaimArbiter.Claim.token(tokenId, request.requestId()))).isEmpty()) {
                        answer = CertIssued.refused(request, RefusalReason.TOKEN_REUSED,
                                "token " + tokenId + " was already used (through another pki-service instance)",
                                clock.instant());
                    }
                }
                parts.tokens().persistSpent();
            } catch (RuntimeException e) {
                parts.tokens().abandonUnpersisted();
                throw e;
            }
        }
        if (answer.issued()) {
            countIssued(answer, " over HTTPS");
            inventory.record(answer);
            CompletableFuture<?> sent = parts.outbox().issued(answer);
            parts.outbox().flush();
            try {
                // The token is spent: the node gets its certificate even when the broker is slow to
                // acknowledge; the record is still in the producer's hands and the inventory has it.
                sent.get(ENROLMENT_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warnf("cert.issued for %s (serial %s) not acknowledged yet: %s", answer.lineage(), answer.serial(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
        } else {
            parts.counters().refused(answer.refusal().reason());
            LOG.warnf("refused enroll over HTTPS for %s: %s: %s", request.lineage(), answer.refusal().reason().wire(),
                    answer.refusal().message());
        }
        return Optional.of(answer);
    }

    /** Decides the batch, settles it with the other instances, then makes its spent tokens durable. */
    private Set<Integer> decideAll(List<Callable<Void>> work, Set<String> fresh, List<CertRequest> batch,
                                   CertIssued[] decided) {
        try {
            for (Future<Void> done : parts.workers().invokeAll(work)) {
                done.get();
            }
            Set<Integer> withdrawn = arbitrate(batch, decided, fresh);
            parts.tokens().persistSpent();
            return withdrawn;
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
        parts.tokens().abandonUnpersisted();
        synchronized (answers) {
            answers.keySet().removeAll(freshRequestIds);
        }
    }

    /**
     * One request's answer: the remembered one for a redelivery, else the issuer's (its request id
     * then joins {@code fresh}). An unexpected failure is answered with a typed, retryable refusal
     * naming an incident; its cause goes to the log under that incident, never to the node.
     */
    private CertIssued decide(Issuer issuer, CertRequest request, Set<String> fresh) {
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
                answer = issuer.handle(request);
            } catch (RuntimeException e) {
                // A bug must not hold up the whole partition: the node gets an answer, the log the stack.
                PkiError.Internal incident = PkiError.Internal.of(e);
                LOG.errorf(e, "request %s failed unexpectedly (incident %s)", request.requestId(), incident.incident());
                answer = incident.answer(request, clock.instant());
            }
            if (!answer.issued()) {
                parts.counters().refused(answer.refusal().reason());
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

    /**
     * Whether a certificate found on a node is one of ours, already watched as its own lineage: the
     * agent's managed lineages, and anything whose issuer is our intermediate (known once initialised).
     */
    private boolean issuedHere(NodeFacts.FoundCertificate certificate) {
        if (certificate.managed()) {
            return true;
        }
        Open ca = open;
        if (ca == null || certificate.issuer() == null) {
            return false;
        }
        try {
            return new X500Principal(certificate.issuer())
                    .equals(ca.ca().x509().intermediate().getSubjectX500Principal());
        } catch (IllegalArgumentException e) {
            return false; // an issuer name we cannot parse is certainly not ours
        }
    }

    // ---- revocation and trust

    /** {@code POST /lineages/{lineage}/revoke}: durable, then announced in a new trust bundle. */
    public boolean revoke(String lineage) {
        boolean added = parts.revoked().add(lineage);
        if (added) {
            LOG.warnf("revoked lineage %s; it will never be renewed", lineage);
            if (open != null) {
                publishTrust();
            }
        }
        return added;
    }

    /** What a lineage looks like ({@code <node>/<service>}), for revocations from REST and from the bus. */
    public static final Pattern LINEAGE = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    /**
     * A trust bundle read on {@code pki.trust}, published by this instance or another: every
     * lineage it lists as revoked is revoked here too, durably, so that a revocation made through
     * one instance is enforced by every instance (each keeps its own ledger). A revocation is never
     * undone, so the instances' lists only grow and converge on their union: an instance that
     * adopts something publishes the union, and a bundle that adds nothing publishes nothing.
     * A bundle of another root, or an entry that is not a lineage, is ignored and said.
     *
     * @return the lineages revoked here because of this bundle
     */
    public List<String> adoptRevocations(TrustBundle bundle) {
        if (bundle == null || bundle.revokedLineages() == null || bundle.revokedLineages().isEmpty()) {
            return List.of();
        }
        Open current = open;
        if (current != null && !Pem.of(current.ca().x509().root()).equals(bundle.rootPem())) {
            LOG.warnf("a trust bundle of another root on pki.trust (revision %d) is ignored", bundle.revision());
            return List.of();
        }
        List<String> adopted = new ArrayList<>();
        for (String lineage : bundle.revokedLineages()) {
            if (lineage == null || !LINEAGE.matcher(lineage).matches()) {
                LOG.warnf("a trust bundle on pki.trust lists '%s' as revoked, which is not a lineage; ignored", lineage);
            } else if (parts.revoked().add(lineage)) {
                adopted.add(lineage);
            }
        }
        if (!adopted.isEmpty()) {
            LOG.warnf("revoked lineages %s, as another instance's trust bundle says; they will never be renewed", adopted);
            if (current != null) {
                publishTrust();
            }
        }
        return adopted;
    }

    public Set<String> revokedLineages() {
        return new TreeSet<>(parts.revoked().entries());
    }

    private synchronized void publishTrust() {
        Authorities ca = open.ca();
        String taskKey = parts.tokens().publicKeyPem();
        List<String> revokedList = List.copyOf(revokedLineages());
        // Deterministic across restarts: revocations are never undone and the task key only appears.
        long revision = 1 + revokedList.size() + (taskKey == null ? 0 : 1);
        TrustBundle bundle = new TrustBundle(Pem.of(ca.x509().root()), Pem.of(ca.x509().intermediate()),
                ca.hosts().publicKeyLine(), ca.users().publicKeyLine(), taskKey, revokedList, revision, clock.instant());
        parts.outbox().trust(bundle).join();
        publishedTaskKey = taskKey;
        LOG.infof("published trust bundle revision %d", revision);
    }

    // ---- the periodic scan

    /**
     * The scanner's tick: publishes the trust bundle again once the provisioner's task key appears,
     * then announces expiry tiers. A failure is logged and retried at the next tick.
     */
    public void scan() {
        try {
            if (open != null && publishedTaskKey == null && parts.tokens().publicKeyPem() != null) {
                publishTrust();
            }
            scanExpiry();
        } catch (RuntimeException e) {
            LOG.errorf(e, "expiry scan failed; retrying at the next interval");
        }
    }

    /**
     * Publishes {@code cert.expiring} for every lineage that reached a new tier; returns them. An
     * event the broker did not acknowledge is announced again at the next scan, alone: its
     * batch-mates that were acknowledged are not repeated.
     *
     * @throws IllegalStateException naming how many were not acknowledged (the first cause attached)
     */
    public List<CertExpiring> scanExpiry() {
        List<CertExpiring> due = inventory.dueExpiryEvents(clock.instant(), revokedLineages());
        if (due.isEmpty()) {
            return due;
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (CertExpiring expiring : due) {
            LOG.warnf("%s of %s reached %s (notAfter %s)", expiring.lineage(), expiring.node(),
                    expiring.tier().wire(), expiring.notAfter());
            try {
                sent.add(parts.outbox().expiring(expiring));
            } catch (RuntimeException e) {
                sent.add(CompletableFuture.failedFuture(e));
            }
        }
        parts.outbox().flush();
        List<CertExpiring> lost = new ArrayList<>();
        Throwable firstCause = null;
        for (int i = 0; i < due.size(); i++) {
            try {
                sent.get(i).join();
            } catch (CompletionException | CancellationException e) {
                lost.add(due.get(i));
                firstCause = firstCause == null ? (e.getCause() == null ? e : e.getCause()) : firstCause;
            }
        }
        if (!lost.isEmpty()) {
            inventory.unannounce(lost);
            throw new IllegalStateException(lost.size() + " of " + due.size()
                    + " cert.expiring events not acknowledged; they are announced again at the next scan", firstCause);
        }
        return due;
    }

    // ---- views

    public List<CertLineageView> certificates() {
        return inventory.view(clock.instant(), revokedLineages());
    }

    public CaStatus status() {
        Open current = open;
        int revokedCount = parts.revoked().entries().size();
        if (current == null) {
            return new CaStatus(false, null, null, null, null, null, null, inventory.size(), revokedCount, 0);
        }
        Authorities ca = current.ca();
        return new CaStatus(true, ca.x509().root().getSubjectX500Principal().getName(),
                ca.x509().root().getNotAfter().toInstant(), ca.x509().intermediate().getSubjectX500Principal().getName(),
                ca.x509().intermediate().getNotAfter().toInstant(), ca.hosts().fingerprint(), ca.users().fingerprint(),
                inventory.size(), revokedCount, 1 + revokedCount + (publishedTaskKey == null ? 0 : 1));
    }

    /** The CRL (PEM) of the newest certificates of revoked lineages; empty before initialisation. */
    public Optional<String> crlPem() {
        Open current = open;
        if (current == null) {
            return Optional.empty();
        }
        List<BigInteger> serials = inventory.serialsOf(revokedLineages()).stream()
                .map(s -> new BigInteger(s, 16)).toList();
        return Optional.of(Pem.of(current.ca().x509().crl(serials, clock.instant(), Duration.ofDays(1))));
    }
}
