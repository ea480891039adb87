package net.goldentooth.agent.certs.scan;

import java.nio.file.Path;
import java.time.Instant;

/** A certificate file on disk, managed here or not (kubeadm's, an operator's). */
public record FoundCertificate(Path path, String subject, Instant notAfter) {
}
