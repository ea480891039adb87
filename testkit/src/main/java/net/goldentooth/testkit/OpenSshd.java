package net.goldentooth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real OpenSSH {@code sshd} from Debian's openssh-server, started on a loopback port with its
 * own host key and configuration in a temporary directory, for tests of SSH clients. It accepts
 * root logins by public key: keys listed in its authorized_keys file and certificates signed by the
 * user CA of {@link Credentials}. Needs root (sshd's privilege separation) and the packages
 * {@code openssh-server} and {@code openssh-client} (for ssh-keygen); a missing binary fails loudly.
 */
public final class OpenSshd implements AutoCloseable {

    public static final String SSHD = "/usr/sbin/sshd";
    public static final String SSH_KEYGEN = "/usr/bin/ssh-keygen";

    /**
     * Client-side keys for tests: a user CA, a plain key pair (authorised by authorized_keys) and a
     * second key pair with a user certificate for root signed by the CA (authorised by the CA only),
     * plus a stranger key nobody authorised.
     */
    public record Credentials(Path dir, Path userCa, Path plainKey, Path certifiedKey, Path strangerKey) {

        public static Credentials create(Path dir) {
            try {
                Files.createDirectories(dir);
                Path ca = keygen(dir.resolve("user_ca"));
                Path plain = keygen(dir.resolve("id_plain"));
                Path certified = keygen(dir.resolve("id_certified"));
                Path stranger = keygen(dir.resolve("id_stranger"));
                run(List.of(SSH_KEYGEN, "-q", "-s", ca.toString(), "-I", "goldentooth-test", "-n", "root",
                        "-V", "-5m:+1h", certified + ".pub"));
                return new Credentials(dir, ca, plain, certified, stranger);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The {@code -cert.pub} file beside the certified key. */
        public Path certificate() {
            return certifiedKey.resolveSibling(certifiedKey.getFileName() + "-cert.pub");
        }
    }

    private final int port;
    private final Path dir;
    private final Path hostKey;
    private final Path log;
    private Process process;

    private OpenSshd(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        this.hostKey = dir.resolve("ssh_host_ed25519_key");
        this.log = dir.resolve("sshd.log");
    }

    /**
     * Starts sshd on 127.0.0.1:{@code port} with a new host key in {@code dir}, trusting
     * {@code credentials}' user CA and plain key, and waits until it accepts connections.
     */
    public static OpenSshd start(int port, Path dir, Credentials credentials) {
        return start(port, dir, credentials, null);
    }

    /**
     * As {@link #start(int, Path, Credentials)}, and when {@code hostCa} (a private key made by
     * ssh-keygen) is given, the host key is certified by it for the principal {@code 127.0.0.1} and
     * sshd presents the certificate, so clients can trust it through an {@code @cert-authority} line.
     */
    public static OpenSshd start(int port, Path dir, Credentials credentials, Path hostCa) {
        return start(port, dir, credentials, hostCa, List.of());
    }

    /**
     * As {@link #start(int, Path, Credentials, Path)} ({@code hostCa} may be null), with further
     * sshd_config lines such as {@code AuthorizedPrincipalsFile}. sshd keeps the first value it
     * reads for a keyword, so these may only add keywords the base configuration does not set.
     */
    public static OpenSshd start(int port, Path dir, Credentials credentials, Path hostCa, List<String> extraConfig) {
        OpenSshd sshd = new OpenSshd(port, dir);
        try {
            sshd.configure(credentials, hostCa, extraConfig);
            sshd.launch();
        } catch (IOException e) {
            sshd.close();
            throw new UncheckedIOException(e);
        }
        return sshd;
    }

    public int port() {
        return port;
    }

    /** The host's public key line ({@code ssh-ed25519 AAAA...}). */
    public String hostPublicKey() {
        try {
            return Files.readString(hostKey.resolveSibling(hostKey.getFileName() + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This server's known_hosts line as OpenSSH writes it for a non-standard port. */
    public String knownHostsLine() {
        String[] parts = hostPublicKey().split(" ");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1];
    }

    /** Makes a CA key pair (for host or user certificates) at {@code key}. */
    public static Path certificateAuthority(Path key) {
        try {
            Files.createDirectories(key.getParent());
            return keygen(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void configure(Credentials credentials, Path hostCa, List<String> extraConfig) throws IOException {
        Files.createDirectories(dir);
        keygen(hostKey);
        String hostCertificate = "";
        if (hostCa != null) {
            run(List.of(SSH_KEYGEN, "-q", "-s", hostCa.toString(), "-I", "goldentooth-test-host", "-h",
                    "-n", "127.0.0.1", "-V", "-5m:+1h", hostKey + ".pub"));
            hostCertificate = "HostCertificate " + hostKey + "-cert.pub\n";
        }
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(credentials.plainKey() + ".pub")));
        Files.createDirectories(Path.of("/run/sshd"));
        String config = String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "TrustedUserCAKeys " + credentials.userCa() + ".pub",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "MaxStartups 100:30:200",
                "MaxSessions 50",
                "Subsystem sftp internal-sftp",
                "LogLevel ERROR",
                "") + hostCertificate + extraConfig.stream().map(line -> line + "\n").collect(Collectors.joining());
        Files.writeString(dir.resolve("sshd_config"), config);
    }

    private void launch() throws IOException {
        if (!Files.isExecutable(Path.of(SSHD))) {
            throw new IllegalStateException(SSHD + " is missing: apt-get install openssh-server");
        }
        process = new ProcessBuilder(SSHD, "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd on port " + port + " exited " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("sshd on port " + port + " did not listen within 20s: " + Files.readString(log));
    }

    /** Stops sshd (and with it the sessions it runs). */
    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Path keygen(Path key) throws IOException {
        if (!Files.isExecutable(Path.of(SSH_KEYGEN))) {
            throw new IllegalStateException(SSH_KEYGEN + " is missing: apt-get install openssh-client");
        }
        run(List.of(SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", key.getFileName().toString(), "-f", key.toString()));
        return key;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
