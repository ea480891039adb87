package net.goldentooth.agent.certs.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.ssh.SshLineageTest;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void findsConfiguredFilesAndKubeadmsCertificatesAndSkipsTheRest() throws Exception {
        TestCa ca = new TestCa();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path kube = Files.createDirectories(dir.resolve("kubernetes/pki"));
        Path apiserver = kube.resolve("apiserver.crt");
        Files.writeString(apiserver, NodeKeys.pem(issue(ca, "apiserver", now, now.plusSeconds(3600))));
        Files.writeString(kube.resolve("apiserver.key"), "not a certificate, not *.crt");
        Files.writeString(kube.resolve("broken.crt"), "garbage");
        Path consul = dir.resolve("consul.pem");
        Files.writeString(consul, NodeKeys.pem(issue(ca, "consul", now, now.plusSeconds(7200))));

        List<FoundCertificate> found = new DiskCertificates(
                List.of(consul), List.of(), List.of(dir.resolve("not-yet-issued.pem")), kube).scan();

        assertEquals(List.of(new FoundCertificate(consul, "CN=consul", now.plusSeconds(7200)),
                new FoundCertificate(apiserver, "CN=apiserver", now.plusSeconds(3600))), found);
    }

    @Test
    void aMissingKubernetesDirectoryIsNoError() {
        assertEquals(List.of(), new DiskCertificates(List.of(), List.of(), List.of(), dir.resolve("absent")).scan());
    }

    @Test
    void theAgentsOwnSshCertificatesAreInTheFactsAsManaged() throws Exception {
        Path key = dir.resolve("ssh/root_ed25519");
        Path ca = dir.resolve("ssh/user_ca");
        Files.createDirectories(key.getParent());
        SshLineageTest.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        SshLineageTest.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
        SshLineageTest.run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "bettley/ssh-root", "-z", "42",
                "-n", "root,bettley-root", "-V", "20260101000000Z:20260102000000Z", key + ".pub");
        Path certificate = dir.resolve("ssh/root_ed25519-cert.pub");
        String caFingerprint = SshLineageTest.run("ssh-keygen", "-l", "-f", ca + ".pub").split(" ")[1];

        DiskCertificates disk = new DiskCertificates(List.of(), List.of(certificate, dir.resolve("ssh/absent-cert.pub")),
                List.of(), dir.resolve("absent"));
        List<NodeFacts.FoundCertificate> facts = disk.describe();

        assertEquals(1, facts.size(), facts.toString());
        NodeFacts.FoundCertificate found = facts.get(0);
        assertEquals(certificate.toString(), found.path());
        assertEquals("ssh user root,bettley-root", found.subject());
        assertEquals("SSH CA " + caFingerprint, found.issuer());
        assertEquals("2a", found.serial());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), found.notBefore());
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), found.notAfter());
        assertEquals(64, found.sha256Fingerprint().length());
        assertTrue(found.managed());
        assertEquals(List.of(new FoundCertificate(certificate, "ssh user root,bettley-root",
                Instant.parse("2026-01-02T00:00:00Z"))), disk.scan());
    }

    private static java.security.cert.X509Certificate issue(TestCa ca, String cn, Instant from, Instant until) {
        return ca.issue(NodeKeys.csrPem(NodeKeys.generate(), cn, List.of(cn)), from, until);
    }
}
