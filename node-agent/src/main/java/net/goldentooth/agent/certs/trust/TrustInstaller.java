package net.goldentooth.agent.certs.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.TrustBundle;
import org.jboss.logging.Logger;

/**
 * Installs {@code pki.trust} where the system looks, each target only when configured: the CA
 * bundle (root then intermediate, then {@code update-ca-certificates} if asked), sshd's
 * {@code TrustedUserCAKeys} file, and an {@code @cert-authority} line in a known-hosts file whose
 * other lines are kept. Files are rewritten atomically and only when their content changes. The
 * provisioner's task-signing key goes to {@link TaskKeyTrust}, which trusts it only when an
 * enrolment token vouches for it.
 */
public final class TrustInstaller {

    private static final Logger LOG = Logger.getLogger(TrustInstaller.class);

    /** Marks the known-hosts line this agent owns, so a new host CA key replaces it and nothing else. */
    static final String KNOWN_HOSTS_MARK = "goldentooth-ssh-host-ca";

    private final Optional<Path> caBundle;
    private final boolean updateCaCertificates;
    private final Optional<Path> sshUserCa;
    private final Optional<Path> knownHosts;
    private final CommandRunner runner;
    private final Optional<TaskKeyTrust> taskKeys;
    private volatile X509Certificate root;
    private volatile String sshHostCa;
    private volatile String sshUserCaKey;

    public TrustInstaller(Optional<Path> caBundle, boolean updateCaCertificates, Optional<Path> sshUserCa,
                          Optional<Path> knownHosts, CommandRunner runner, Optional<TaskKeyTrust> taskKeys) {
        this.taskKeys = taskKeys;
        this.caBundle = caBundle;
        this.updateCaCertificates = updateCaCertificates;
        this.sshUserCa = sshUserCa;
        this.knownHosts = knownHosts;
        this.runner = runner;
    }

    /** The root of the latest bundle seen, against which issued chains are checked. */
    public Optional<X509Certificate> root() {
        return Optional.ofNullable(root);
    }

    /** The SSH host CA key line of the latest bundle, against which the host certificate is checked. */
    public Optional<String> sshHostCa() {
        return Optional.ofNullable(sshHostCa);
    }

    /** The SSH user CA key line of the latest bundle, against which the root user certificate is checked. */
    public Optional<String> sshUserCa() {
        return Optional.ofNullable(sshUserCaKey);
    }

    /**
     * @throws IOException when a target cannot be written or {@code update-ca-certificates} fails
     *                     (the consumer dead-letters the record with that reason)
     */
    public void install(TrustBundle bundle) throws IOException, InterruptedException {
        List<X509Certificate> roots = NodeKeys.parseCertificates(bundle.rootPem());
        if (!roots.isEmpty()) {
            root = roots.get(0);
        }
        if (bundle.sshHostCaPublicKey() != null) {
            sshHostCa = bundle.sshHostCaPublicKey();
        }
        if (bundle.sshUserCaPublicKey() != null) {
            sshUserCaKey = bundle.sshUserCaPublicKey();
        }
        if (caBundle.isPresent() && bundle.rootPem() != null) {
            String pem = ensureNewline(bundle.rootPem())
                    + (bundle.intermediatePem() == null ? "" : ensureNewline(bundle.intermediatePem()));
            if (AtomicFiles.writeIfChanged(caBundle.get(), bytes(pem), FileSpec.mode("0644"))) {
                LOG.infof("installed the CA bundle (revision %d) at %s", bundle.revision(), caBundle.get());
                if (updateCaCertificates) {
                    CommandRunner.Result result = runner.run(List.of("update-ca-certificates"));
                    if (result.exitCode() != 0) {
                        throw new IOException("update-ca-certificates exited " + result.exitCode() + ": "
                                + result.firstErrorLine());
                    }
                }
            }
        }
        if (sshUserCa.isPresent() && bundle.sshUserCaPublicKey() != null) {
            AtomicFiles.writeIfChanged(sshUserCa.get(), bytes(ensureNewline(bundle.sshUserCaPublicKey().trim())),
                    FileSpec.mode("0644"));
        }
        if (knownHosts.isPresent() && bundle.sshHostCaPublicKey() != null) {
            Path file = knownHosts.get();
            List<String> existing = Files.exists(file) ? Files.readAllLines(file) : List.of();
            AtomicFiles.writeIfChanged(file, bytes(knownHostsWith(existing, bundle.sshHostCaPublicKey())),
                    FileSpec.mode("0644"));
        }
        if (taskKeys.isPresent()) {
            taskKeys.get().offer(bundle.taskSigningPublicKeyPem());
        }
    }

    /** The lines of a known-hosts file with our {@code @cert-authority} line replaced (or added); the rest kept in order. */
    static String knownHostsWith(List<String> lines, String hostCaPublicKey) {
        String[] parts = hostCaPublicKey.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("the SSH host CA key is not an OpenSSH public key line");
        }
        String ours = "@cert-authority * " + parts[0] + " " + parts[1] + " " + KNOWN_HOSTS_MARK;
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (!(line.startsWith("@cert-authority ") && line.endsWith(" " + KNOWN_HOSTS_MARK))) {
                out.add(line);
            }
        }
        out.add(ours);
        return String.join("\n", out) + "\n";
    }

    private static String ensureNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
