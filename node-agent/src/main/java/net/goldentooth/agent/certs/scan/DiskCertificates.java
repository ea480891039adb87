package net.goldentooth.agent.certs.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.events.facts.NodeFacts;
import org.jboss.logging.Logger;

/**
 * Finds the certificates on this node worth watching, issued here or not: the given files and
 * every {@code *.crt} of kubeadm's PKI directory (the seed's API server went down when those
 * expired unnoticed). Reads only the first certificate of each file; unreadable files are skipped
 * with a log line, missing ones silently (a managed certificate before its first issuance).
 */
public final class DiskCertificates {

    private static final Logger LOG = Logger.getLogger(DiskCertificates.class);

    private final Set<Path> managed;
    private final List<Path> files;
    private final Path kubernetesPkiDir;

    /**
     * @param managed the certificate files of the agent's own lineages (scanned too, and marked managed)
     * @param others  further configured files to watch
     */
    public DiskCertificates(List<Path> managed, List<Path> others, Path kubernetesPkiDir) {
        this.managed = Set.copyOf(managed);
        List<Path> all = new ArrayList<>(managed);
        all.addAll(others);
        this.files = List.copyOf(all);
        this.kubernetesPkiDir = kubernetesPkiDir;
    }

    /** The scan the configuration asks for: the managed certificates, the scan paths and kubeadm's directory. */
    public static DiskCertificates of(CertsConfig config) {
        List<Path> managed = config.certificates().values().stream().map(CertsConfig.ManagedCertificate::certPath)
                .toList();
        return new DiskCertificates(managed, config.scan().paths().orElse(List.of()), config.scan().kubernetesPkiDir());
    }

    public List<FoundCertificate> scan() {
        return read((path, first) -> new FoundCertificate(path, first.getSubjectX500Principal().getName(),
                first.getNotAfter().toInstant()));
    }

    /** The same scan in full, for the {@code certificates} section of the node's facts. */
    public List<NodeFacts.FoundCertificate> describe() {
        return read((path, c) -> new NodeFacts.FoundCertificate(path.toString(),
                c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                NodeKeys.serial(c), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                NodeKeys.fingerprint(c), managed.contains(path)));
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
