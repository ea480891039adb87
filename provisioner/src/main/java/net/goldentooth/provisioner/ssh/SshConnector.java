package net.goldentooth.provisioner.ssh;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.jboss.logging.Logger;

/**
 * Opens authenticated SSH connections with OpenSSH's rules: the host key must match known_hosts
 * (a plain entry or an {@code @cert-authority} line), an unknown host is refused unless the
 * inventory allows first contact, and every wait is bounded so a dead host never hangs a job.
 */
public final class SshConnector {

    private static final Logger LOG = Logger.getLogger(SshConnector.class);
    /** known_hosts is appended by first contacts from several threads. */
    private static final Object KNOWN_HOSTS_WRITE = new Object();

    private final Path identity;
    private final Path knownHosts;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final DefaultConfig sshConfig = new DefaultConfig();

    public SshConnector(Path identity, Path knownHosts, Duration connectTimeout, Duration authTimeout) {
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.connectTimeout = connectTimeout;
        this.authTimeout = authTimeout;
    }

    public SSHClient connect(SshTarget target) throws SshFailure {
        SSHClient client = new SSHClient(sshConfig);
        HostKeyCheck check;
        try {
            check = new HostKeyCheck(knownHosts.toFile(), target);
        } catch (IOException e) {
            throw new SshFailure(SshFailure.Kind.UNKNOWN_HOST, "known_hosts " + knownHosts + " is unreadable: "
                    + e.getMessage(), e);
        }
        client.addHostKeyVerifier(check);
        client.setConnectTimeout((int) connectTimeout.toMillis());
        client.setTimeout((int) authTimeout.toMillis());
        client.getTransport().setTimeoutMs((int) authTimeout.toMillis());
        try {
            client.connect(target.host(), target.port());
        } catch (IOException e) {
            closeQuietly(client);
            throw classifyConnect(target, check, e);
        }
        KeyProvider keys;
        try {
            keys = client.loadKeys(identity.toString());
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshFailure(SshFailure.Kind.CREDENTIALS_UNREADABLE, "ssh identity " + identity
                    + " could not be read: " + e.getClass().getSimpleName(), e);
        }
        try {
            client.authPublickey(target.user(), keys);
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new SshFailure(SshFailure.Kind.AUTH_FAILED, "ssh authentication as " + target.user() + " to "
                    + target.knownHostsName() + " failed: the server refused key " + identity.getFileName()
                    + (Files.exists(certificateOf(identity)) ? " with its certificate" : ""), e);
        } catch (IOException e) {
            closeQuietly(client);
            throw new SshFailure(SshFailure.Kind.UNREACHABLE, "ssh connection to " + target.knownHostsName()
                    + " broke during authentication: " + e.getMessage(), e);
        }
        return client;
    }

    /** OpenSSH's convention, which sshj follows: the certificate of {@code key} is {@code key-cert.pub}. */
    public static Path certificateOf(Path key) {
        return key.resolveSibling(key.getFileName() + "-cert.pub");
    }

    private static SshFailure classifyConnect(SshTarget target, HostKeyCheck check, IOException e) {
        String where = target.knownHostsName();
        if (check.verdict == Verdict.CHANGED) {
            return new SshFailure(SshFailure.Kind.HOST_KEY_CHANGED, "host key of " + where + " has changed ("
                    + check.offered + "); known_hosts holds another key: refused (a reinstalled host or an attack)", e);
        }
        if (check.verdict == Verdict.UNKNOWN) {
            return new SshFailure(SshFailure.Kind.UNKNOWN_HOST, "host " + where + " is not in known_hosts ("
                    + check.offered + ") and the inventory does not set " + SshTarget.FIRST_CONTACT_VAR
                    + ": refused", e);
        }
        String why;
        if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof SocketTimeoutException) {
            why = "no answer within the connect timeout";
        } else if (e instanceof UnknownHostException) {
            why = "unknown host name";
        } else if (e instanceof NoRouteToHostException) {
            why = "no route to host";
        } else {
            why = "ssh handshake failed: " + e.getMessage();
        }
        return new SshFailure(SshFailure.Kind.UNREACHABLE, where + " unreachable over ssh: " + why, e);
    }

    static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debugf("closing an ssh connection: %s", e.getMessage());
        }
    }

    private enum Verdict { MATCHED, UNKNOWN, CHANGED }

    /** known_hosts as OpenSSH reads it, remembering why a key was refused so the failure can say so. */
    private static final class HostKeyCheck extends OpenSSHKnownHosts {
        private final SshTarget target;
        volatile Verdict verdict = Verdict.MATCHED;
        volatile String offered = "";

        HostKeyCheck(File file, SshTarget target) throws IOException {
            super(file);
            this.target = target;
        }

        @Override
        public boolean verify(String hostname, int port, PublicKey key) {
            offered = KeyType.fromKey(key) + " key";
            return super.verify(hostname, port, key);
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            if (!target.firstContact()) {
                verdict = Verdict.UNKNOWN;
                return false;
            }
            try {
                synchronized (KNOWN_HOSTS_WRITE) {
                    HostEntry entry = new HostEntry(null, hostname, KeyType.fromKey(key), key);
                    entries().add(entry);
                    Files.createDirectories(getFile().toPath().toAbsolutePath().getParent());
                    write(entry);
                }
                LOG.infof("first contact with %s (%s): its %s host key is now in %s", target.node(), hostname,
                        KeyType.fromKey(key), getFile());
                return true;
            } catch (IOException e) {
                LOG.errorf("first contact with %s: known_hosts %s not writable: %s", target.node(), getFile(),
                        e.getMessage());
                verdict = Verdict.UNKNOWN;
                return false;
            }
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            verdict = Verdict.CHANGED;
            return false;
        }
    }
}
