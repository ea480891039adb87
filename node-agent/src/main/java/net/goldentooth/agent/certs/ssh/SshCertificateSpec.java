package net.goldentooth.agent.certs.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The node's SSH host certificate as the renewal loop sees it (the configuration, resolved).
 *
 * @param lineage       {@code <node>/ssh-host}
 * @param publicKeyPath the host key sshd serves ({@code ssh_host_ed25519_key.pub}); its private half stays sshd's
 * @param sshdConfig    an {@code sshd_config.d} drop-in that names the certificate ({@code HostCertificate})
 * @param reloadCommand run after a new certificate is written; empty for none
 */
public record SshHostSpec(String node, String lineage, Path publicKeyPath, Path certificatePath, Path sshdConfig,
                          Duration lifetime, Optional<String> reloadCommand) {

    /** sshd's own naming: {@code ssh_host_ed25519_key.pub} is certified by {@code ssh_host_ed25519_key-cert.pub}. */
    public static Path defaultCertificatePath(Path publicKeyPath) {
        String name = publicKeyPath.getFileName().toString();
        String base = name.endsWith(".pub") ? name.substring(0, name.length() - 4) : name;
        return publicKeyPath.resolveSibling(base + "-cert.pub");
    }
}
