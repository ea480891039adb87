package net.goldentooth.agent.certs.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The key an SSH lineage has certified: sshd's host key, or a key pair the agent keeps. */
public interface SshKey {

    /** Where the key is, for messages. */
    Path path();

    /**
     * The OpenSSH public key line ({@code ssh-ed25519 AAAA...}).
     *
     * @throws IOException when there is no usable key
     */
    String publicKey() throws IOException;

    /** A public key file someone else keeps (sshd's {@code ssh_host_ed25519_key.pub}). */
    static SshKey file(Path publicKeyPath) {
        return new SshKey() {
            @Override
            public Path path() {
                return publicKeyPath;
            }

            @Override
            public String publicKey() throws IOException {
                String line = Files.readString(publicKeyPath, StandardCharsets.US_ASCII).trim();
                try {
                    OpenSshCertificate.keyFields(line);
                } catch (IllegalArgumentException e) {
                    throw new IOException(e.getMessage(), e);
                }
                return line;
            }
        };
    }
}
