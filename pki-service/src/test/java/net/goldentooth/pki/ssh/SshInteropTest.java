package net.goldentooth.pki.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.policy.NodeIdentity;
import net.goldentooth.pki.policy.SshPrincipals;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our OpenSSH certificates against Debian's OpenSSH: {@code ssh-keygen -L} reads them, a real
 * {@code sshd} on a loopback port trusts our user CA and presents our host certificate, and a real
 * {@code ssh} with only an {@code @cert-authority} line connects without a prompt.
 */
class SshInteropTest {

    private static final NodeIdentity BETTLEY = new NodeIdentity("bettley", "127.0.0.1", List.of());
    private static final NodeIdentity FENN = new NodeIdentity("fenn", "10.4.0.12", List.of());

    @TempDir
    Path dir;
    private SshCertificateAuthority hostCa;
    private SshCertificateAuthority userCa;
    private Process sshd;

    @BeforeEach
    void authorities() throws IOException {
        char[] password = "pw".toCharArray();
        hostCa = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST, dir.resolve("ssh-host-ca.p12"),
                password, Clock.systemUTC());
        userCa = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER, dir.resolve("ssh-user-ca.p12"),
                password, Clock.systemUTC());
    }

    @AfterEach
    void stopSshd() throws InterruptedException {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
    }

    @Test
    void storedCaKeysLoadBackAsTheSameKey() throws IOException {
        SshCertificateAuthority again = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST,
                dir.resolve("ssh-host-ca.p12"), "pw".toCharArray(), Clock.systemUTC());
        assertEquals(hostCa.publicKeyLine(), again.publicKeyLine());
        assertNotEquals(hostCa.publicKeyLine(), userCa.publicKeyLine());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("ssh-user-ca.p12"))));
    }

    @Test
    void sshKeygenShowsThePrincipalsAndValidityWeIntended() throws Exception {
        String key = newKey("host_key");
        Instant after = Instant.parse("2026-11-25T10:00:00Z");
        String certificate = hostCa.sign(new SshCertificateAuthority.Spec(key, "fenn host", SshPrincipals.host(FENN),
                after, after.plus(Duration.ofHours(24)))).certificate();
        Files.writeString(dir.resolve("host_key-cert.pub"), certificate + "\n");
        TestKeys.Run listing = TestKeys.run(dir, List.of("ssh-keygen", "-L", "-f", "host_key-cert.pub"));
        assertEquals(0, listing.exitCode(), listing.output());
        String out = listing.output();
        assertTrue(out.contains("ssh-ed25519-cert-v01@openssh.com host certificate"), out);
        for (String principal : List.of("fenn", "fenn.nodes.goldentooth.net", "fenn.goldentooth.net", "10.4.0.12")) {
            assertTrue(out.contains("\n                " + principal + "\n"), principal + " in " + out);
        }
        // ssh-keygen prints validity in local time; the test JVM and the tool share TZ, so render ours the same way.
        java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        assertTrue(out.contains("Valid: from " + local.format(after) + " to "
                + local.format(after.plus(Duration.ofHours(24)))), out);
        assertTrue(out.contains("Signing CA: ED25519 " + hostCa.fingerprint()), out);

        String userKey = newKey("user_key");
        Files.writeString(dir.resolve("user_key-cert.pub"), userCa.sign(new SshCertificateAuthority.Spec(userKey,
                "fenn root", SshPrincipals.rootUser(FENN), after, after.plus(Duration.ofHours(24)))).certificate() + "\n");
        String user = TestKeys.run(dir, List.of("ssh-keygen", "-L", "-f", "user_key-cert.pub")).output();
        assertTrue(user.contains("user certificate"), user);
        assertTrue(user.contains("\n                root\n") && user.contains("\n                fenn-root\n"), user);
        assertTrue(user.contains("permit-pty"), user);
    }

    @Test
    void realSshdAcceptsOurUserCertificateAndRefusesExpiredOrWrongPrincipal() throws Exception {
        int port = startSshd();
        Instant now = Instant.now();
        Files.writeString(dir.resolve("known_hosts"), "@cert-authority * " + hostCa.publicKeyLine() + "\n");

        TestKeys.Run login = loginWith("good", SshPrincipals.rootUser(BETTLEY), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(24)), port);
        assertEquals(0, login.exitCode(), login.output());
        assertTrue(login.output().contains("hello-from-sshd"), login.output());

        assertPermissionDenied(loginWith("expired", SshPrincipals.rootUser(BETTLEY), now.minus(Duration.ofHours(26)),
                now.minus(Duration.ofHours(2)), port));
        // Root of another host: its principals are root and fenn-root, and this sshd admits only bettley-root.
        assertPermissionDenied(loginWith("other", SshPrincipals.rootUser(FENN), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(24)), port));
    }

    /** A fresh key with a user certificate of these principals and validity, then ssh with it. */
    private TestKeys.Run loginWith(String name, List<String> principals, Instant after, Instant before, int port)
            throws Exception {
        writeUserCert(name, newKey(name), principals, after, before);
        return ssh(port, name);
    }

    private static void assertPermissionDenied(TestKeys.Run run) {
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Permission denied"), run.output());
    }

    @Test
    void clientWithOnlyTheCertAuthorityLineRefusesAHostKeyWithoutOurCertificate() throws Exception {
        int port = startSshd();
        Files.writeString(dir.resolve("known_hosts"), "@cert-authority * " + userCa.publicKeyLine() + "\n");
        String good = newKey("good");
        Instant now = Instant.now();
        writeUserCert("good", good, SshPrincipals.rootUser(BETTLEY), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(1)));
        // The known_hosts line names the wrong CA: strict checking must refuse, proving the line is what admits the host.
        TestKeys.Run run = ssh(port, "good");
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("Host key verification failed"), run.output());
    }

    private void writeUserCert(String name, String publicKey, List<String> principals, Instant after, Instant before)
            throws IOException {
        Files.writeString(dir.resolve(name + "-cert.pub"),
                userCa.sign(new SshCertificateAuthority.Spec(publicKey, name, principals, after, before)).certificate() + "\n");
    }

    private TestKeys.Run ssh(int port, String key) throws Exception {
        return TestKeys.run(dir, List.of("ssh", "-F", "/dev/null", "-i", key, "-o", "CertificateFile=" + key + "-cert.pub",
                "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=" + dir.resolve("known_hosts"),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=20", "-p", String.valueOf(port), "root@127.0.0.1", "echo hello-from-sshd"));
    }

    /** Generates an Ed25519 key with ssh-keygen (no passphrase) and returns its public line. */
    private String newKey(String name) throws Exception {
        TestKeys.Run generated = TestKeys.run(dir, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                "-f", name));
        assertEquals(0, generated.exitCode(), generated.output());
        return Files.readString(dir.resolve(name + ".pub")).strip();
    }

    private int startSshd() throws Exception {
        TestKeys.requireTool("/usr/sbin/sshd");
        String hostKey = newKey("host_key");
        Instant now = Instant.now();
        Files.writeString(dir.resolve("host_key-cert.pub"), hostCa.sign(new SshCertificateAuthority.Spec(hostKey,
                "bettley host", SshPrincipals.host(BETTLEY), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(24)))).certificate() + "\n");
        Files.writeString(dir.resolve("user_ca.pub"), userCa.publicKeyLine() + "\n");
        Files.writeString(dir.resolve("principals"), "bettley-root\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "HostCertificate " + dir.resolve("host_key-cert.pub"),
                "TrustedUserCAKeys " + dir.resolve("user_ca.pub"),
                "AuthorizedPrincipalsFile " + dir.resolve("principals"),
                "AuthorizedKeysFile none",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"),
                "") + "\n");
        Files.createDirectories(Path.of("/run/sshd"));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/sshd", "-D", "-e", "-f",
                dir.resolve("sshd_config").toString()));
        sshd = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("sshd did not listen on " + port + ": " + Files.readString(dir.resolve("sshd.log")));
    }
}
