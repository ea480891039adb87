package net.goldentooth.agent.certs.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.events.cert.CertKind;

/**
 * One OpenSSH certificate lineage as the renewal loop sees it (the configuration, resolved): the
 * node's host certificate ({@code <node>/ssh-host}) or its root user certificate
 * ({@code <node>/ssh-root}).
 *
 * @param kind            {@link CertKind#SSH_HOST} or {@link CertKind#SSH_USER}: which CA pki signs with, and
 *                        what the answer must be
 * @param certificatePath where the certificate is written
 * @param sshdConfig      an {@code sshd_config.d} drop-in that names the certificate ({@code HostCertificate});
 *                        empty for none (a user certificate is presented by the client, sshd needs no setting)
 * @param reloadCommand   run after a new certificate is written; empty for none
 */
public record SshCertificateSpec(String node, String lineage, CertKind kind, Path certificatePath, Duration lifetime,
                                 Optional<Path> sshdConfig, Optional<String> reloadCommand) {

    public SshCertificateSpec {
        if (kind != CertKind.SSH_HOST && kind != CertKind.SSH_USER) {
            throw new IllegalArgumentException(lineage + ": not an SSH certificate kind: " + kind);
        }
    }

    public boolean host() {
        return kind == CertKind.SSH_HOST;
    }

    /** The lineage's name after {@code <node>/}, sent as the request's service. */
    public String service() {
        return lineage.substring(lineage.indexOf('/') + 1);
    }

    /** Where the host certificate is written: as configured, else beside the host key. */
    public static Path hostCertificatePath(CertsConfig.SshHost config) {
        return config.certificatePath().orElse(defaultCertificatePath(config.publicKeyPath()));
    }

    /** OpenSSH's naming: {@code ssh_host_ed25519_key.pub} (or the private key) is certified by {@code ssh_host_ed25519_key-cert.pub}. */
    public static Path defaultCertificatePath(Path keyPath) {
        String name = keyPath.getFileName().toString();
        String base = name.endsWith(".pub") ? name.substring(0, name.length() - 4) : name;
        return keyPath.resolveSibling(base + "-cert.pub");
    }
}
