package net.goldentooth.agent.certs.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.renewal.CertEvents;
import net.goldentooth.agent.certs.renewal.ManagedLineage;
import net.goldentooth.agent.certs.renewal.ReloadCommand;
import net.goldentooth.agent.certs.renewal.Renewable;
import net.goldentooth.agent.certs.renewal.RenewalSchedule;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The node's SSH host certificate ({@code <node>/ssh-host}), renewed on the same loop and
 * {@link RenewalSchedule} as the X.509 lineages. The request carries the host's public key and a
 * proof of possession made with a current X.509 certificate of the node (the canary, or any
 * managed one): pki needs no token for a 24-hour SSH certificate. The answer must certify this
 * host key as a host certificate and, once {@code pki.trust} named it, be signed by the SSH host
 * CA. Then the certificate is written atomically beside the key, an {@code sshd_config.d} drop-in
 * saying {@code HostCertificate <path>} is kept, sshd is reloaded, and {@code cert.renewed} sent.
 * Until an X.509 credential exists the lineage waits silently (the canary reports its own trouble).
 * Failure codes as in {@link ManagedLineage}: {@code timeout}, {@code bad-answer},
 * {@code write-failed}, {@code reload-failed}, {@code no-host-key}, or pki's refusal reason.
 */
public final class SshHostLineage implements Renewable {

    private static final Logger LOG = Logger.getLogger(SshHostLineage.class);
    private static final FileSpec PUBLIC = FileSpec.mode("0644");

    private final SshHostSpec spec;
    private final RenewalSchedule schedule;
    private final Supplier<Optional<ManagedLineage.Credential>> credential;
    private final Supplier<Optional<String>> hostCa;
    private final CertEvents events;
    private final CommandRunner reloadRunner;
    private final CertMetrics metrics;
    private final Clock clock;

    private volatile OpenSshCertificate current;
    private String pendingRequestId;
    private Instant pendingSince;
    private int failures;
    private Instant lastFailureAt;
    private boolean unconfirmed;

    /**
     * @param credential a current X.509 certificate of the node and its key, to prove with
     * @param hostCa     the SSH host CA key line from the newest {@code pki.trust}, when one was seen
     */
    public SshHostLineage(SshHostSpec spec, RenewalSchedule schedule, Supplier<Optional<ManagedLineage.Credential>> credential,
                          Supplier<Optional<String>> hostCa, CertEvents events, CommandRunner reloadRunner,
                          CertMetrics metrics, Clock clock) {
        this.spec = spec;
        this.schedule = schedule;
        this.credential = credential;
        this.hostCa = hostCa;
        this.events = events;
        this.reloadRunner = reloadRunner;
        this.metrics = metrics;
        this.clock = clock;
        this.current = installed();
    }

    @Override
    public String lineage() {
        return spec.lineage();
    }

    @Override
    public Instant notAfter() {
        OpenSshCertificate certificate = current;
        return certificate == null ? null : certificate.validBefore();
    }

    public int failures() {
        return failures;
    }

    @Override
    public void tick() {
        Instant now = clock.instant();
        OpenSshCertificate certificate = current;
        RenewalSchedule.Step step = schedule.next(spec.lineage(), new RenewalSchedule.LineageView(
                certificate == null ? null : certificate.validAfter(), certificate == null ? null : certificate.validBefore(),
                certificate != null, pendingSince, failures, lastFailureAt, unconfirmed, false), now);
        MDC.put("lineage", spec.lineage());
        try {
            switch (step.action()) {
                case WAIT -> { }
                case ANSWER_TIMED_OUT -> {
                    pendingRequestId = null;
                    pendingSince = null;
                    fail("timeout", "no answer on cert.issued within the answer timeout");
                }
                case RELOAD -> reloadAndReport();
                case ENROL, RENEW -> request(now);
            }
        } finally {
            MDC.remove("lineage");
        }
    }

    private void request(Instant now) {
        Optional<ManagedLineage.Credential> proofKey = credential.get();
        if (proofKey.isEmpty()) {
            LOG.debugf("%s waits for a current X.509 certificate of the node to prove with", spec.lineage());
            return;
        }
        String hostKey;
        try {
            hostKey = Files.readString(spec.publicKeyPath(), StandardCharsets.US_ASCII).trim();
            OpenSshCertificate.keyFields(hostKey);
        } catch (IOException | IllegalArgumentException e) {
            fail("no-host-key", "cannot read the host key " + spec.publicKeyPath() + ": " + e.getMessage());
            return;
        }
        String requestId = UUID.randomUUID().toString();
        String signature = NodeKeys.sign(proofKey.get().key(), CertRequest.proofMaterial(requestId, hostKey));
        CertRequest request = new CertRequest(requestId, spec.node(), spec.lineage(), "ssh-host", CertKind.SSH_HOST,
                null, hostKey, null, new CertRequest.Proof(NodeKeys.pem(proofKey.get().certificate()), signature),
                spec.lifetime().toSeconds(), null, false, now);
        pendingRequestId = requestId;
        pendingSince = now;
        LOG.infof("requesting the SSH host certificate of %s (request %s)", spec.node(), requestId);
        events.request(request);
    }

    @Override
    public void onIssued(CertIssued issued) {
        if (pendingRequestId == null || !pendingRequestId.equals(issued.requestId())) {
            return;
        }
        pendingRequestId = null;
        pendingSince = null;
        MDC.put("lineage", spec.lineage());
        try {
            if (!issued.issued()) {
                fail(issued.refusal().reason() == null ? "refused" : issued.refusal().reason().wire(),
                        issued.refusal().message());
                return;
            }
            install(issued.sshCertificate());
        } finally {
            MDC.remove("lineage");
        }
    }

    private void install(String line) {
        OpenSshCertificate certificate;
        try {
            certificate = OpenSshCertificate.parse(line);
            Optional<String> problem = problem(certificate);
            if (problem.isPresent()) {
                fail("bad-answer", problem.get());
                return;
            }
        } catch (IOException | IllegalArgumentException e) {
            fail("bad-answer", e.getMessage());
            return;
        }
        try {
            AtomicFiles.write(spec.certificatePath(), (line.trim() + "\n").getBytes(StandardCharsets.US_ASCII), PUBLIC);
            AtomicFiles.writeIfChanged(spec.sshdConfig(), sshdConfig().getBytes(StandardCharsets.US_ASCII), PUBLIC);
        } catch (IOException | RuntimeException e) {
            fail("write-failed", "cannot write " + spec.certificatePath() + " or " + spec.sshdConfig() + ": "
                    + e.getMessage());
            return;
        }
        current = certificate;
        unconfirmed = true;
        LOG.infof("installed the SSH host certificate serial %s for %s, valid until %s", certificate.serialHex(),
                certificate.principals(), certificate.validBefore());
        reloadAndReport();
    }

    /** The drop-in sshd reads ({@code Include /etc/ssh/sshd_config.d/*.conf} on Debian). */
    String sshdConfig() {
        return "# Written by the goldentooth node agent: the host certificate from pki-service, renewed daily.\n"
                + "HostCertificate " + spec.certificatePath() + "\n";
    }

    private Optional<String> problem(OpenSshCertificate certificate) throws IOException {
        if (!certificate.host()) {
            return Optional.of("the certificate is not a host certificate");
        }
        String hostKey = Files.readString(spec.publicKeyPath(), StandardCharsets.US_ASCII);
        if (!Arrays.equals(certificate.certifiedKey(), OpenSshCertificate.keyFields(hostKey))) {
            return Optional.of("the certificate is not for this host's key " + spec.publicKeyPath());
        }
        Optional<String> ca = hostCa.get();
        if (ca.isPresent() && !Arrays.equals(certificate.signingKey(), OpenSshCertificate.keyBlob(ca.get()))) {
            return Optional.of("the certificate is not signed by the SSH host CA from pki.trust");
        }
        return Optional.empty();
    }

    private void reloadAndReport() {
        Optional<String> reloadProblem = spec.reloadCommand().flatMap(command -> ReloadCommand.run(reloadRunner, command));
        if (reloadProblem.isPresent()) {
            fail("reload-failed", reloadProblem.get());
            return;
        }
        unconfirmed = false;
        failures = 0;
        lastFailureAt = null;
        metrics.renewal(spec.lineage(), true);
        events.renewed(new CertRenewed(spec.node(), spec.lineage(), current.serialHex(), current.validBefore(),
                clock.instant()));
    }

    private void fail(String code, String detail) {
        failures++;
        lastFailureAt = clock.instant();
        String reason = code + ": " + detail;
        LOG.warnf("%s failed (attempt %d): %s", spec.lineage(), failures, reason);
        metrics.renewal(spec.lineage(), false);
        events.failed(new CertRenewalFailed(spec.node(), spec.lineage(), reason, failures, lastFailureAt));
    }

    /** The certificate on disk, when it certifies the current host key; else none (so one is requested). */
    private OpenSshCertificate installed() {
        try {
            OpenSshCertificate certificate = OpenSshCertificate.parse(
                    Files.readString(spec.certificatePath(), StandardCharsets.US_ASCII));
            String hostKey = Files.readString(spec.publicKeyPath(), StandardCharsets.US_ASCII);
            return Arrays.equals(certificate.certifiedKey(), OpenSshCertificate.keyFields(hostKey)) ? certificate : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("%s: the certificate %s is unusable (%s); a new one will be requested", spec.lineage(),
                    spec.certificatePath(), e.getMessage());
            return null;
        }
    }
}
