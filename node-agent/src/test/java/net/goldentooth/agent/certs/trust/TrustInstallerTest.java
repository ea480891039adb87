package net.goldentooth.agent.certs.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.TrustBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustInstallerTest {

    private static final String HOST_CA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostCaKeyHostCaKeyHostCaKeyHostCaKey1 host-ca";
    private static final String HOST_CA_2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewHostCaNewHostCaNewHostCaNewHostCa2 host-ca";
    private static final String USER_CA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIUserCaKeyUserCaKeyUserCaKeyUserCaKey1 user-ca";

    @TempDir
    Path dir;

    @Test
    void knownHostsKeepsOtherLinesAndReplacesOnlyOurAuthority() {
        List<String> existing = List.of("# managed by hand", "github.com ssh-ed25519 AAAAgithub",
                "@cert-authority *.example.org ssh-rsa AAAAother", "@cert-authority * ssh-ed25519 AAAAold "
                        + TrustInstaller.KNOWN_HOSTS_MARK);

        String written = TrustInstaller.knownHostsWith(existing, HOST_CA_2);

        assertEquals(String.join("\n", "# managed by hand", "github.com ssh-ed25519 AAAAgithub",
                "@cert-authority *.example.org ssh-rsa AAAAother",
                "@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewHostCaNewHostCaNewHostCaNewHostCa2 "
                        + TrustInstaller.KNOWN_HOSTS_MARK) + "\n", written);
    }

    @Test
    void installsEveryConfiguredTarget() throws Exception {
        TestCa ca = new TestCa();
        Path bundle = dir.resolve("ca-certificates/goldentooth.crt");
        Path userCa = dir.resolve("ssh/trusted-user-ca.pub");
        Path knownHosts = dir.resolve("ssh/ssh_known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "bettley ssh-ed25519 AAAAbettley\n");
        TrustInstaller installer = new TrustInstaller(Optional.of(bundle), false, Optional.of(userCa),
                Optional.of(knownHosts), new CommandRunner(Duration.ofSeconds(5)), Optional.empty());

        installer.install(bundle(ca, HOST_CA, 1));
        installer.install(bundle(ca, HOST_CA_2, 2));

        List<?> installed = NodeKeys.parseCertificates(Files.readString(bundle));
        assertEquals(2, installed.size());
        assertEquals(ca.root(), installed.get(0));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(bundle));
        assertEquals(USER_CA + "\n", Files.readString(userCa));
        List<String> lines = Files.readAllLines(knownHosts);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("bettley ssh-ed25519 AAAAbettley", lines.get(0));
        assertTrue(lines.get(1).startsWith("@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewHostCa"));
        assertEquals(Optional.of(ca.root()), installer.root());
    }

    @Test
    void targetsThatAreNotConfiguredAreNotTouched() throws Exception {
        TrustInstaller installer = new TrustInstaller(Optional.empty(), true, Optional.empty(), Optional.empty(),
                new CommandRunner(Duration.ofSeconds(5)), Optional.empty());

        installer.install(bundle(new TestCa(), HOST_CA, 1));

        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "nothing written, update-ca-certificates not needed");
        }
        assertTrue(installer.root().isPresent(), "the root is still remembered for checking chains");
    }

    private static TrustBundle bundle(TestCa ca, String hostCa, long revision) {
        String[] chain = ca.chainPem().split("(?<=-----END CERTIFICATE-----\n)");
        return new TrustBundle(chain[1], chain[0], hostCa, USER_CA, null, List.of(), revision, Instant.now());
    }
}
