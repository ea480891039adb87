package net.goldentooth.agent.certs.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.ssh.OpenSshCertificate;
import net.goldentooth.agent.certs.ssh.SshCertificateSpec;
import net.goldentooth.events.facts.NodeFacts;
import org.jboss.logging.Logger;

/**
 * Finds the certificates on this node worth watching, issued here or not: the given files and
 * every {@code *.crt} of kubeadm's PKI directory (the seed's API server went down when those
 * expired unnoticed), and the agent's own OpenSSH certificates (host and root user). Reads only
 * the first certificate of each file; unreadable files are skipped with a log line, missing ones
 * silently (a managed certificate before its first issuance).
 */
public final class DiskCertificates {

    private static final Logger LOG = Logger.getLogger(DiskCertificates.class);

    private final Set<Path> managed;
    private final List<Path> files;
    private final List<Path> ssh;
    private final Path kubernetesPkiDir;

    /**
     * @param managed the certificate files of the agent's own lineages (scanned too, and marked managed)
     * @param ssh     the OpenSSH certificates of the agent's own lineages (marked managed too)
     * @param others  further configured files to watch
     */
    public DiskCertificates(List<Path> managed, List<Path> ssh, List<Path> others, Path kubernetesPkiDir) {
        this.managed = Set.copyOf(managed);
        List<Path> all = new ArrayList<>(managed);
        all.addAll(others);
        this.files = List.copyOf(all);
        this.ssh = List.copyOf(ssh);
        this.kubernetesPkiDir = kubernetesPkiDir;
    }

    /**
     * The scan the configuration asks for: the managed certificates, the enabled SSH certificates,
     * the scan paths and kubeadm's directory.
     */
    public static DiskCertificates of(CertsConfig config) {
        List<Path> managed = config.certificates().values().stream().map(CertsConfig.ManagedCertificate::certPath)
                .toList();
        List<Path> ssh = new ArrayList<>();
        if (config.sshHost().enabled()) {
            ssh.add(SshCertificateSpec.hostCertificatePath(config.sshHost()));
        }
        if (config.sshRoot().enabled()) {
            ssh.add(SshCertificateSpec.defaultCertificatePath(config.sshRoot().keyPath()));
        }
        return new DiskCertificates(managed, ssh, config.scan().paths().orElse(List.of()),
                config.scan().kubernetesPkiDir());
    }

    public List<FoundCertificate> scan() {
        List<FoundCertificate> found = read((path, first) -> new FoundCertificate(path,
                first.getSubjectX500Principal().getName(), first.getNotAfter().toInstant()));
        readSsh((path, c) -> new FoundCertificate(path, subject(c), c.validBefore())).forEach(found::add);
        return found;
    }

    /** The same scan in full, for the {@code certificates} section of the node's facts. */
    public List<NodeFacts.FoundCertificate> describe() {
        List<NodeFacts.FoundCertificate> found = read((path, c) -> new NodeFacts.FoundCertificate(path.toString(),
                c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                NodeKeys.serial(c), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                NodeKeys.fingerprint(c), managed.contains(path)));
        readSsh((path, c) -> new NodeFacts.FoundCertificate(path.toString(), subject(c),
                "SSH CA " + sha256(c.signingKey()), c.serialHex(), c.validAfter(), c.validBefore(), hex(c.blob()), true))
                .forEach(found::add);
        return found;
    }

    /** What an OpenSSH certificate is for, where an X.509 one has its subject: e.g. {@code ssh user root,bettley-root}. */
    private static String subject(OpenSshCertificate certificate) {
        return "ssh " + (certificate.host() ? "host " : "user ") + String.join(",", certificate.principals());
    }

    private <T> List<T> readSsh(BiFunction<Path, OpenSshCertificate, T> describe) {
        List<T> found = new ArrayList<>();
        for (Path path : ssh) {
            if (!Files.isRegularFile(path)) {
                continue;
            }
            try {
                found.add(describe.apply(path, OpenSshCertificate.parse(Files.readString(path, StandardCharsets.US_ASCII))));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warnf("cannot read the SSH certificate %s: %s", path, e.getMessage());
            }
        }
        return found;
    }

    /** OpenSSH's way of naming a key ({@code ssh-keygen -l}): {@code SHA256:} and the unpadded base64 digest. */
    private static String sha256(byte[] keyBlob) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest(keyBlob));
    }

    private static String hex(byte[] blob) {
        return HexFormat.of().formatHex(digest(blob));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private <T> List<T> read(BiFunction<Path, X509Certificate, T> describe) {
        Set<Path> paths = new LinkedHashSet<>(files);
        if (Files.isDirectory(kubernetesPkiDir)) {
            try (DirectoryStream<Path> crts = Files.newDirectoryStream(kubernetesPkiDir, "*.crt")) {
                crts.forEach(paths::add);
            } catch (IOException e) {
                LOG.warnf("cannot list %s: %s", kubernetesPkiDir, e.getMessage());
            }
        }
        List<T> found = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isRegularFile(path)) {
                continue;
            }
            try {
                List<X509Certificate> certificates = NodeKeys.parseCertificates(
                        Files.readString(path, StandardCharsets.US_ASCII));
                if (!certificates.isEmpty()) {
                    found.add(describe.apply(path, certificates.get(0)));
                }
            } catch (IOException | NodeKeys.KeyFormatException e) {
                LOG.warnf("cannot read the certificate %s: %s", path, e.getMessage());
            }
        }
        return found;
    }
}
