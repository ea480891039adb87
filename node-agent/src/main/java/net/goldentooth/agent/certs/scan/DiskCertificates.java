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
import net.goldentooth.agent.certs.keys.NodeKeys;
import org.jboss.logging.Logger;

/**
 * Finds the certificates on this node worth watching, issued here or not: the given files and
 * every {@code *.crt} of kubeadm's PKI directory (the seed's API server went down when those
 * expired unnoticed). Reads only the first certificate of each file; unreadable files are skipped
 * with a log line, missing ones silently (a managed certificate before its first issuance).
 */
public final class DiskCertificates {

    private static final Logger LOG = Logger.getLogger(DiskCertificates.class);

    private final List<Path> files;
    private final Path kubernetesPkiDir;

    public DiskCertificates(List<Path> files, Path kubernetesPkiDir) {
        this.files = List.copyOf(files);
        this.kubernetesPkiDir = kubernetesPkiDir;
    }

    public List<FoundCertificate> scan() {
        Set<Path> paths = new LinkedHashSet<>(files);
        if (Files.isDirectory(kubernetesPkiDir)) {
            try (DirectoryStream<Path> crts = Files.newDirectoryStream(kubernetesPkiDir, "*.crt")) {
                crts.forEach(paths::add);
            } catch (IOException e) {
                LOG.warnf("cannot list %s: %s", kubernetesPkiDir, e.getMessage());
            }
        }
        List<FoundCertificate> found = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isRegularFile(path)) {
                continue;
            }
            try {
                List<X509Certificate> certificates = NodeKeys.parseCertificates(
                        Files.readString(path, StandardCharsets.US_ASCII));
                if (!certificates.isEmpty()) {
                    X509Certificate first = certificates.get(0);
                    found.add(new FoundCertificate(path, first.getSubjectX500Principal().getName(),
                            first.getNotAfter().toInstant()));
                }
            } catch (IOException | NodeKeys.KeyFormatException e) {
                LOG.warnf("cannot read the certificate %s: %s", path, e.getMessage());
            }
        }
        return found;
    }
}
