package net.goldentooth.agent.certs.messaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real pki-service ({@link RealPki}) and the agent configured for it: a one-minute canary
 * (pki's minimum) so that a renewal by proof of possession follows within about 25 s, the CA
 * bundle and both SSH CA keys installed from {@code pki.trust}, and the SSH host certificate for
 * a host key made by {@code ssh-keygen}. The agent learns the provisioner's key from
 * {@code pki.trust}.
 */
public class PkiServiceTestResource extends RealPkiTestResource {

    static Path dir;
    static String node;

    @Override
    String name() {
        return "it-pki";
    }

    @Override
    void configure(RealPki pki, Map<String, String> properties) throws Exception {
        dir = pki.dir;
        node = pki.node;
        Files.createDirectories(dir.resolve("ssh"));
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                dir.resolve("ssh/ssh_host_ed25519_key").toString()).redirectErrorStream(true).start();
        if (keygen.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen (Debian's openssh-client) could not make a host key: "
                    + new String(keygen.getInputStream().readAllBytes()));
        }
        properties.putAll(Map.of(
                "goldentooth.agent.canary.lifetime", "60s",
                "goldentooth.agent.trust.ca-bundle-path", dir.resolve("trust/goldentooth.crt").toString(),
                "goldentooth.agent.trust.ssh-user-ca-path", dir.resolve("ssh/trusted-user-ca.pub").toString(),
                "goldentooth.agent.trust.ssh-known-hosts-path", dir.resolve("ssh/ssh_known_hosts").toString(),
                "goldentooth.agent.ssh-host.enabled", "true",
                "goldentooth.agent.ssh-host.public-key-path", dir.resolve("ssh/ssh_host_ed25519_key.pub").toString(),
                "goldentooth.agent.ssh-host.sshd-config-path",
                dir.resolve("ssh/sshd_config.d/goldentooth.conf").toString(),
                "goldentooth.agent.ssh-host.reload-command", "touch " + dir.resolve("ssh/reloaded")));
    }
}
