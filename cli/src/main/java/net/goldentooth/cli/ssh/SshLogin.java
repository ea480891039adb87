package net.goldentooth.cli.ssh;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * SSH from the operator's machine, as OpenSSH's client would do it: the operator's key (and its
 * {@code -cert.pub} user certificate when present), the operator's known_hosts (plain and
 * {@code @cert-authority} lines), no trust on first use, and bounded waits.
 *
 * @param identity   {@code --identity}, else $GOLDENTOOTH_SSH_IDENTITY, else ~/.ssh/id_ed25519
 * @param knownHosts {@code --known-hosts}, else $GOLDENTOOTH_SSH_KNOWN_HOSTS, else ~/.ssh/known_hosts
 */
public record SshLogin(Path identity, Path knownHosts, Duration timeout) {

    public static final String IDENTITY_ENV = "GOLDENTOOTH_SSH_IDENTITY";
    public static final String KNOWN_HOSTS_ENV = "GOLDENTOOTH_SSH_KNOWN_HOSTS";

    public static SshLogin resolve(String identity, String knownHosts, Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new SshLogin(
                Path.of(identity != null ? identity : env.getOrDefault(IDENTITY_ENV, home + "/.ssh/id_ed25519")),
                Path.of(knownHosts != null ? knownHosts : env.getOrDefault(KNOWN_HOSTS_ENV, home + "/.ssh/known_hosts")),
                Duration.ofSeconds(10));
    }

    /** A connection failure the user can act on; {@code unreachable} ones may pass by themselves. */
    public static final class LoginException extends IOException {
        private final boolean unreachable;

        LoginException(String message, boolean unreachable, Throwable cause) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        public boolean unreachable() {
            return unreachable;
        }
    }

    public SSHClient connect(NodeAddress node) throws LoginException {
        SSHClient client = new SSHClient();
        Verifier verifier;
        try {
            verifier = new Verifier(knownHosts.toFile());
        } catch (IOException e) {
            throw new LoginException("known_hosts " + knownHosts + " is unreadable: " + e.getMessage(), false, e);
        }
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout((int) timeout.toMillis());
        client.setTimeout((int) timeout.toMillis());
        client.getTransport().setTimeoutMs((int) timeout.toMillis());
        String where = node.node() + " (" + node.knownHostsName() + ")";
        try {
            client.connect(node.host(), node.port());
        } catch (IOException e) {
            close(client);
            if (verifier.problem != null) {
                throw new LoginException(where + ": " + verifier.problem, false, e);
            }
            String why = e instanceof ConnectException ? "connection refused"
                    : e instanceof SocketTimeoutException ? "no answer within " + timeout.toSeconds() + "s"
                    : e.getMessage();
            throw new LoginException(where + " unreachable: " + why, true, e);
        }
        try {
            client.authPublickey(node.user(), client.loadKeys(identity.toString()));
        } catch (UserAuthException e) {
            close(client);
            throw new LoginException(where + ": authentication as " + node.user() + " with " + identity
                    + " was refused", false, e);
        } catch (IOException e) {
            close(client);
            throw new LoginException(where + ": cannot log in with " + identity + ": " + e.getMessage(), false, e);
        }
        return client;
    }

    static void close(SSHClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing after a failure; the failure is what the user hears about
        }
    }

    private static final class Verifier extends OpenSSHKnownHosts {
        volatile String problem;

        Verifier(File file) throws IOException {
            super(file);
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            problem = "host " + hostname + " is not in known_hosts (" + KeyType.fromKey(key)
                    + " key); add it after checking its fingerprint (ssh-keyscan), or bootstrap it through the provisioner";
            return false;
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            problem = "the host key of " + hostname + " has changed (" + KeyType.fromKey(key)
                    + " key): refused; known_hosts holds another key";
            return false;
        }
    }
}
