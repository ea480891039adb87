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
import net.goldentooth.agent.certs.renewal.Outcomes;
import net.goldentooth.agent.certs.renewal.RenewalFailure;
import net.goldentooth.agent.certs.renewal.Renewable;
import net.goldentooth.agent.certs.renewal.RenewalSchedule;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRequest;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One OpenSSH certificate of the node, renewed on the same loop and {@link RenewalSchedule} as the
 * X.509 lineages: the host certificate sshd presents ({@code <node>/ssh-host}) or the root user
 * certificate the node's own SSH clients present ({@code <node>/ssh-root}). The request carries
 * the public key and a proof of possession made with a current X.509 certificate of the node (the
 * canary, or any managed one): pki needs no token for a 24-hour SSH certificate. The answer must
 * certify this key, be of the requested kind and, once {@code pki.trust} named the CA, be signed
 * by it. Then the certificate is written atomically, the {@code sshd_config.d} drop-in (host
 * certificates) is kept, the reload command (if any) runs, and {@code cert.renewed} is sent. Until
 * an X.509 credential exists the lineage waits silently (the canary reports its own trouble).
 * Failure codes as in {@link ManagedLineage}: {@code timeout}, {@code bad-answer},
 * {@code write-failed}, {@code reload-failed}, {@code no-key}, or pki's refusal reason.
 */
public final class SshLineage implements Renewable {

    private static final Logger LOG = Logger.getLogger(SshLineage.class);
    private static final FileSpec PUBLIC = FileSpec.mode("0644");

    private final SshCertificateSpec spec;
    private final SshKey key;
    private final RenewalSchedule schedule;
    private final Supplier<Optional<ManagedLineage.Credential>> credential;
    private final Supplier<Optional<String>> trustedCa;
    private final CommandRunner reloadRunner;
    private final CertEvents events;
    private final Clock clock;
    private final Outcomes outcomes;

    private volatile OpenSshCertificate current;
    private String pendingRequestId;
    private Instant pendingSince;

    /**
     * @param key        the key to certify
     * @param credential a current X.509 certificate of the node and its key, to prove with
     * @param trustedCa  the CA key line (host or user CA, as the kind says) from the newest {@code pki.trust}, once seen
     */
    public SshLineage(SshCertificateSpec spec, SshKey key, RenewalSchedule schedule,
                      Supplier<Optional<ManagedLineage.Credential>> credential, Supplier<Optional<String>> trustedCa,
                      CertEvents events, CommandRunner reloadRunner, CertMetrics metrics, Clock clock) {
        this.spec = spec;
        this.key = key;
        this.schedule = schedule;
        this.credential = credential;
        this.trustedCa = trustedCa;
        this.events = events;
        this.reloadRunner = reloadRunner;
        this.clock = clock;
        this.outcomes = new Outcomes(spec.node(), spec.lineage(), events, metrics, clock);
        this.current = installed();
    }

    @Override
    public String lineage() {
        return spec.lineage();
    }

    public SshCertificateSpec spec() {
        return spec;
    }

    @Override
    public Instant notAfter() {
        OpenSshCertificate certificate = current;
        return certificate == null ? null : certificate.validBefore();
    }

    public int failures() {
        return outcomes.failures();
    }

    @Override
    public void tick() {
        Instant now = clock.instant();
        OpenSshCertificate certificate = current;
        RenewalSchedule.Step step = schedule.next(spec.lineage(), new RenewalSchedule.LineageView(
                certificate == null ? null : certificate.validAfter(), certificate == null ? null : certificate.validBefore(),
                certificate != null, pendingSince, outcomes.failures(), outcomes.lastFailureAt(), outcomes.unconfirmed(),
                false), now);
        MDC.put("lineage", spec.lineage());
        try {
            switch (step.action()) {
                case WAIT -> { }
                case ANSWER_TIMED_OUT -> {
                    pendingRequestId = null;
                    pendingSince = null;
                    outcomes.failed(RenewalFailure.TIMEOUT, "no answer on cert.issued within the answer timeout");
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
        String publicKey;
        try {
            publicKey = key.publicKey();
        } catch (IOException | RuntimeException e) {
            outcomes.failed(RenewalFailure.NO_KEY, "cannot read or make the key " + key.path() + ": " + e.getMessage());
            return;
        }
        String requestId = UUID.randomUUID().toString();
        String signature = NodeKeys.sign(proofKey.get().key(), CertRequest.proofMaterial(requestId, publicKey));
        CertRequest request = new CertRequest(requestId, spec.node(), spec.lineage(), spec.service(), spec.kind(),
                null, publicKey, null, new CertRequest.Proof(NodeKeys.pem(proofKey.get().certificate()), signature),
                spec.lifetime().toSeconds(), null, false, now);
        pendingRequestId = requestId;
        pendingSince = now;
        LOG.infof("requesting %s for %s (request %s)", spec.lineage(), key.path(), requestId);
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
                outcomes.refused(issued.refusal());
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
                outcomes.failed(RenewalFailure.BAD_ANSWER, problem.get());
                return;
            }
        } catch (IOException | IllegalArgumentException e) {
            outcomes.failed(RenewalFailure.BAD_ANSWER, e.getMessage());
            return;
        }
        try {
            AtomicFiles.write(spec.certificatePath(), (line.trim() + "\n").getBytes(StandardCharsets.US_ASCII), PUBLIC);
            if (spec.sshdConfig().isPresent()) {
                AtomicFiles.writeIfChanged(spec.sshdConfig().get(), sshdConfig().getBytes(StandardCharsets.US_ASCII),
                        PUBLIC);
            }
        } catch (IOException | RuntimeException e) {
            outcomes.failed(RenewalFailure.WRITE_FAILED, "cannot write " + spec.certificatePath()
                    + spec.sshdConfig().map(c -> " or " + c).orElse("") + ": " + e.getMessage());
            return;
        }
        current = certificate;
        outcomes.installed();
        LOG.infof("installed %s serial %s for %s, valid until %s", spec.lineage(), certificate.serialHex(),
                certificate.principals(), certificate.validBefore());
        reloadAndReport();
    }

    /** The drop-in sshd reads ({@code Include /etc/ssh/sshd_config.d/*.conf} on Debian). */
    String sshdConfig() {
        return "# Written by the goldentooth node agent: the host certificate from pki-service, renewed daily.\n"
                + "HostCertificate " + spec.certificatePath() + "\n";
    }

    private Optional<String> problem(OpenSshCertificate certificate) throws IOException {
        String kind = spec.host() ? "host" : "user";
        if (certificate.host() != spec.host()) {
            return Optional.of("the certificate is not a " + kind + " certificate");
        }
        if (!Arrays.equals(certificate.certifiedKey(), OpenSshCertificate.keyFields(key.publicKey()))) {
            return Optional.of("the certificate is not for the key " + key.path());
        }
        Optional<String> ca = trustedCa.get();
        if (ca.isPresent() && !Arrays.equals(certificate.signingKey(), OpenSshCertificate.keyBlob(ca.get()))) {
            return Optional.of("the certificate is not signed by the SSH " + kind + " CA from pki.trust");
        }
        return Optional.empty();
    }

    private void reloadAndReport() {
        if (outcomes.reloaded(spec.reloadCommand(), reloadRunner)) {
            outcomes.confirmed(current.serialHex(), current.validBefore());
        }
    }

    /** The certificate on disk, when it certifies the current key; else none (so one is requested). */
    private OpenSshCertificate installed() {
        try {
            OpenSshCertificate certificate = OpenSshCertificate.parse(
                    Files.readString(spec.certificatePath(), StandardCharsets.US_ASCII));
            return Arrays.equals(certificate.certifiedKey(), OpenSshCertificate.keyFields(key.publicKey()))
                    ? certificate : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("%s: the certificate %s is unusable (%s); a new one will be requested", spec.lineage(),
                    spec.certificatePath(), e.getMessage());
            return null;
        }
    }
}
