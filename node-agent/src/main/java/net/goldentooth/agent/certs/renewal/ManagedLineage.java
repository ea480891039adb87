package net.goldentooth.agent.certs.renewal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The executor of one lineage: does what {@link RenewalSchedule} says, and installs pki's answer.
 * Every method runs on the renewal loop's single thread, so the state needs no locks; only the
 * expiry gauge reads {@link #notAfter()} from elsewhere.
 *
 * <p>The key stays where the service reads it ({@code key-path}): it is made there (mode and
 * owner as configured) before the first request and kept across renewals, so a crash between
 * two writes can never leave a certificate beside a key it does not belong to for longer than
 * the next answer. After pki answers, the chain and then the leaf are written atomically, the
 * reload hook runs and the probe checks the endpoint serves the new leaf; only then is the
 * renewal reported ok.
 *
 * <p>Failure reasons on {@code cert.renewal-failed} read {@code <code>: <detail>}, the code being
 * pki's refusal reason ({@code proof-invalid}, {@code clock-skew}, ...) or one of the agent's own
 * ({@link RenewalFailure}: {@code no-token}, {@code timeout}, {@code bad-answer},
 * {@code write-failed}, {@code reload-failed}, {@code probe-failed}).
 */
public final class ManagedLineage implements Renewable {

    private static final Logger LOG = Logger.getLogger(ManagedLineage.class);

    private final LineageSpec spec;
    private final RenewalSchedule schedule;
    private final EnrolmentTokens tokens;
    private final CertEvents events;
    private final CommandRunner reloadRunner;
    private final TlsProbe probe;
    private final Duration probeTimeout;
    /** Set before the renewal loop starts; null for none. */
    private Supplier<Optional<String>> inProcessReload;
    private final Supplier<Optional<X509Certificate>> trustedRoot;
    private final Clock clock;
    private final Outcomes outcomes;

    private KeyPair keys;
    private volatile X509Certificate current;
    private boolean usable;
    private Pending pending;
    /**
     * An enrolment pki did not answer in time. pki may have issued it anyway and spent the token,
     * so the same request is sent again (pki answers a repeated id with its first answer) and a
     * late answer to it is still taken; a fresh request with the same token would be refused
     * {@code token-reused} and leave the lineage without a certificate for good.
     */
    private CertRequest unansweredEnrolment;
    private boolean mustEnrol;
    /** Fingerprint of the leaf before the latest install: what a reload that did not reload still serves. */
    private String previousFingerprint;

    /** @param token the enrolment token sent, null for a renewal */
    private record Pending(CertRequest request, Instant sentAt) {
        String requestId() {
            return request.requestId();
        }

        String token() {
            return request.token();
        }

    }

    public ManagedLineage(LineageSpec spec, RenewalSchedule schedule, EnrolmentTokens tokens, CertEvents events,
                          CommandRunner reloadRunner, TlsProbe probe, Duration probeTimeout,
                          Supplier<Optional<X509Certificate>> trustedRoot, CertMetrics metrics, Clock clock) {
        this.spec = spec;
        this.schedule = schedule;
        this.tokens = tokens;
        this.events = events;
        this.reloadRunner = reloadRunner;
        this.probe = probe;
        this.probeTimeout = probeTimeout;
        this.trustedRoot = trustedRoot;
        this.clock = clock;
        this.outcomes = new Outcomes(spec.node(), spec.lineage(), events, metrics, clock);
        readDisk();
    }

    public LineageSpec spec() {
        return spec;
    }

    @Override
    public String lineage() {
        return spec.lineage();
    }

    /** notAfter of the installed certificate, null when there is none. */
    @Override
    public Instant notAfter() {
        X509Certificate certificate = current;
        return certificate == null ? null : certificate.getNotAfter().toInstant();
    }

    /** The schedule's view of this lineage now (also for tests and a status report). */
    public RenewalSchedule.LineageView view() {
        X509Certificate certificate = current;
        return new RenewalSchedule.LineageView(
                certificate == null ? null : certificate.getNotBefore().toInstant(),
                certificate == null ? null : certificate.getNotAfter().toInstant(),
                usable, pending == null ? null : pending.sentAt(), outcomes.failures(), outcomes.lastFailureAt(), outcomes.unconfirmed(), mustEnrol);
    }

    public int failures() {
        return outcomes.failures();
    }

    /**
     * The current certificate and its key while both are installed, match and are unexpired: what
     * proves this node's identity when it asks for an SSH certificate.
     */
    public Optional<Credential> credential() {
        X509Certificate certificate = current;
        if (!usable || certificate == null || !clock.instant().isBefore(certificate.getNotAfter().toInstant())) {
            return Optional.empty();
        }
        return Optional.of(new Credential(certificate, keys.getPrivate()));
    }

    /** A certificate of this node and its private key. */
    public record Credential(X509Certificate certificate, java.security.PrivateKey key) {
    }

    /** One look at the lineage: act if the schedule says so. */
    @Override
    public void tick() {
        Instant now = clock.instant();
        RenewalSchedule.Step step = schedule.next(spec.lineage(), view(), now);
        if (step.action() == RenewalSchedule.Action.WAIT) {
            return;
        }
        MDC.put("lineage", spec.lineage());
        try {
            switch (step.action()) {
                case ANSWER_TIMED_OUT -> {
                    if (pending.token() != null) {
                        unansweredEnrolment = pending.request();
                    } else {
                        releaseToken(pending);
                    }
                    pending = null;
                    fail(RenewalFailure.TIMEOUT, "no answer on cert.issued within the answer timeout");
                }
                case RELOAD -> reloadAndConfirm();
                case ENROL -> enrol(now);
                case RENEW -> renew(now);
                case WAIT -> throw new IllegalStateException("handled above");
            }
        } finally {
            MDC.remove("lineage");
        }
    }

    private void enrol(Instant now) {
        if (unansweredEnrolment != null) {
            LOG.infof("asking again for the unanswered enrolment of %s (request %s)", spec.lineage(),
                    unansweredEnrolment.requestId());
            send(unansweredEnrolment, now);
            return;
        }
        Optional<String> token;
        try {
            token = tokens.take();
        } catch (IOException e) {
            fail(RenewalFailure.NO_TOKEN, "cannot read " + tokens.file() + ": " + e.getMessage());
            return;
        }
        if (token.isEmpty()) {
            fail(RenewalFailure.NO_TOKEN, "no unspent enrolment token in " + tokens.file());
            return;
        }
        KeyPair pair;
        try {
            pair = keyForEnrolment();
        } catch (IOException e) {
            fail(RenewalFailure.WRITE_FAILED, "cannot write the key " + spec.keyPath() + ": " + e.getMessage());
            return;
        }
        String requestId = UUID.randomUUID().toString();
        String csr = NodeKeys.csrPem(pair, spec.names().get(0), spec.names());
        send(new CertRequest(requestId, spec.node(), spec.lineage(), spec.service(), CertKind.ENROLL, csr, null,
                token.get(), null, spec.lifetime().toSeconds(), spec.names(),
                current != null && !current.getPublicKey().equals(pair.getPublic()), now), now);
    }

    private void renew(Instant now) {
        String requestId = UUID.randomUUID().toString();
        String csr = NodeKeys.csrPem(keys, spec.names().get(0), spec.names());
        String signature = NodeKeys.sign(keys.getPrivate(), CertRequest.proofMaterial(requestId, csr));
        CertRequest.Proof proof = new CertRequest.Proof(NodeKeys.pem(current), signature);
        send(new CertRequest(requestId, spec.node(), spec.lineage(), spec.service(), CertKind.RENEW, csr, null, null,
                proof, spec.lifetime().toSeconds(), spec.names(), false, now), now);
    }

    private void send(CertRequest request, Instant now) {
        pending = new Pending(request, now);
        LOG.infof("requesting %s of %s (request %s)", request.kind().wire(), spec.lineage(), request.requestId());
        events.request(request);
    }

    /** pki's answer for this lineage; answers to other requests (older, or another agent's) are ignored. */
    @Override
    public void onIssued(CertIssued issued) {
        Pending answered;
        if (pending != null && pending.requestId().equals(issued.requestId())) {
            answered = pending;
            pending = null;
        } else if (unansweredEnrolment != null && unansweredEnrolment.requestId().equals(issued.requestId())) {
            answered = new Pending(unansweredEnrolment, clock.instant());
        } else {
            LOG.debugf("ignoring answer %s for %s: not the pending request", issued.requestId(), spec.lineage());
            return;
        }
        if (answered.token() != null) {
            unansweredEnrolment = null;
        }
        MDC.put("lineage", spec.lineage());
        try {
            if (!issued.issued()) {
                RefusalReason reason = issued.refusal().reason();
                if (reason == RefusalReason.TOKEN_REUSED || reason == RefusalReason.TOKEN_INVALID) {
                    spendToken(answered);
                } else {
                    releaseToken(answered);
                }
                // pki will not renew from this certificate (too old, superseded, or not one it
                // recognises, e.g. after the CA was re-initialised): only a new enrolment helps.
                mustEnrol = reason == RefusalReason.EXPIRED_BEYOND_GRACE || reason == RefusalReason.NOT_NEWEST
                        || reason == RefusalReason.PROOF_INVALID;
                outcomes.refused(issued.refusal());
                return;
            }
            spendToken(answered);
            install(issued);
        } finally {
            MDC.remove("lineage");
        }
    }

    private void install(CertIssued issued) {
        X509Certificate leaf;
        List<X509Certificate> chain;
        try {
            List<X509Certificate> leaves = NodeKeys.parseCertificates(issued.certificatePem());
            chain = NodeKeys.parseCertificates(issued.chainPem());
            if (leaves.isEmpty()) {
                fail(RenewalFailure.BAD_ANSWER, "cert.issued carries no certificate");
                return;
            }
            leaf = leaves.get(0);
        } catch (NodeKeys.KeyFormatException e) {
            fail(RenewalFailure.BAD_ANSWER, e.getMessage());
            return;
        }
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            fail(RenewalFailure.BAD_ANSWER, "the issued certificate is not for this node's key");
            return;
        }
        Optional<String> chainProblem = chainProblem(leaf, chain);
        if (chainProblem.isPresent()) {
            fail(RenewalFailure.BAD_ANSWER, chainProblem.get());
            return;
        }
        try {
            if (spec.chainPath().isPresent()) {
                AtomicFiles.write(spec.chainPath().get(), pems(chain), spec.certSpec());
            }
            AtomicFiles.write(spec.certPath(), NodeKeys.pem(leaf).getBytes(StandardCharsets.US_ASCII),
                    spec.certSpec());
        } catch (IOException | RuntimeException e) {
            fail(RenewalFailure.WRITE_FAILED, "cannot write " + spec.certPath() + ": " + e.getMessage());
            return;
        }
        previousFingerprint = current == null ? null : NodeKeys.fingerprint(current);
        current = leaf;
        usable = true;
        mustEnrol = false;
        outcomes.installed();
        LOG.infof("installed %s serial %s, valid until %s", spec.lineage(), NodeKeys.serial(leaf), notAfter());
        reloadAndConfirm();
    }

    /** The leaf must be signed by the chain's first certificate and the chain end at the trusted root, once known. */
    private Optional<String> chainProblem(X509Certificate leaf, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Optional.of("cert.issued carries no chain");
        }
        try {
            leaf.verify(chain.get(0).getPublicKey());
            for (int i = 0; i + 1 < chain.size(); i++) {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            }
        } catch (GeneralSecurityException e) {
            return Optional.of("the chain does not sign the certificate: " + e.getMessage());
        }
        Optional<X509Certificate> root = trustedRoot.get();
        if (root.isPresent() && !root.get().equals(chain.get(chain.size() - 1))) {
            return Optional.of("the chain does not end at the root from pki.trust");
        }
        return Optional.empty();
    }

    /**
     * A reload done inside the agent after the reload command: for the lineage that is the agent's
     * own Kafka identity, making its Kafka clients again. It answers what went wrong, if anything;
     * a failure is {@code reload-failed} and retried like a failed reload command.
     */
    public ManagedLineage reloadsInProcess(Supplier<Optional<String>> reload) {
        this.inProcessReload = reload;
        return this;
    }

    private void reloadAndConfirm() {
        if (!outcomes.reloaded(spec.reloadCommand(), reloadRunner)) {
            return;
        }
        if (inProcessReload != null) {
            Optional<String> problem = inProcessReload.get();
            if (problem.isPresent()) {
                fail(RenewalFailure.RELOAD_FAILED, problem.get());
                return;
            }
        }
        if (spec.probe().isPresent()) {
            Optional<String> problem = probeProblem(spec.probe().get());
            if (problem.isPresent()) {
                fail(RenewalFailure.PROBE_FAILED, problem.get());
                return;
            }
        }
        outcomes.confirmed(NodeKeys.serial(current), notAfter());
    }

    /**
     * Polls the endpoint until it serves the new leaf or the probe timeout passes. A service whose
     * reload "succeeded" but still serves the old certificate is the seed's Vault incident: its
     * renewal timer ran, the files were new, and the certificate in use expired anyway.
     */
    private Optional<String> probeProblem(LineageSpec.Endpoint endpoint) {
        String expected = NodeKeys.fingerprint(current);
        long deadline = System.nanoTime() + probeTimeout.toNanos();
        String last;
        while (true) {
            try {
                String served = probe.servedFingerprint(endpoint);
                if (served.equals(expected)) {
                    return Optional.empty();
                }
                last = served.equals(previousFingerprint)
                        ? "endpoint " + endpoint + " still serves the old certificate (sha256 " + served + ")"
                        : "endpoint " + endpoint + " serves another certificate (sha256 " + served + ")";
            } catch (IOException e) {
                last = "cannot probe " + endpoint + ": " + e.getMessage();
            }
            if (System.nanoTime() >= deadline) {
                return Optional.of(last);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(last);
            }
        }
    }

    private void fail(RenewalFailure failure, String detail) {
        outcomes.failed(failure, detail);
    }

    private void spendToken(Pending answered) {
        if (answered.token() != null) {
            try {
                tokens.spend(answered.token());
            } catch (IOException e) {
                LOG.warnf("could not record a spent enrolment token: %s", e.getMessage());
            }
        }
    }

    private void releaseToken(Pending unanswered) {
        if (unanswered.token() != null) {
            tokens.release(unanswered.token());
        }
    }

    /** The key on disk when there is a readable one, else a new one written to key-path. */
    private KeyPair keyForEnrolment() throws IOException {
        if (keys == null) {
            keys = NodeKeys.generate();
            AtomicFiles.write(spec.keyPath(), NodeKeys.privateKeyPem(keys.getPrivate())
                    .getBytes(StandardCharsets.US_ASCII), spec.keySpec());
            LOG.infof("generated a new P-256 key at %s", spec.keyPath());
        }
        return keys;
    }

    /** What is installed now: the key, the certificate, and whether they belong together. */
    private void readDisk() {
        try {
            keys = NodeKeys.readKeyPair(Files.readString(spec.keyPath(), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            keys = null;
        } catch (IOException | NodeKeys.KeyFormatException e) {
            // Replaced at the next enrolment; the content is never logged.
            LOG.warnf("%s: the key %s is unusable (%s); a new one will be enrolled", spec.lineage(), spec.keyPath(),
                    e.getMessage());
            keys = null;
        }
        try {
            List<X509Certificate> found = NodeKeys.parseCertificates(
                    Files.readString(spec.certPath(), StandardCharsets.US_ASCII));
            current = found.isEmpty() ? null : found.get(0);
        } catch (NoSuchFileException e) {
            current = null;
        } catch (IOException | NodeKeys.KeyFormatException e) {
            LOG.warnf("%s: the certificate %s is unreadable (%s)", spec.lineage(), spec.certPath(), e.getMessage());
            current = null;
        }
        usable = keys != null && current != null && current.getPublicKey().equals(keys.getPublic());
    }

    private static byte[] pems(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(NodeKeys.pem(c)));
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
