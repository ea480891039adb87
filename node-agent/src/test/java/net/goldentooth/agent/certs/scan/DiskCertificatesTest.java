package net.goldentooth.agent.certs.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
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
                List.of(consul), List.of(dir.resolve("not-yet-issued.pem")), kube).scan();

        assertEquals(List.of(new FoundCertificate(consul, "CN=consul", now.plusSeconds(7200)),
                new FoundCertificate(apiserver, "CN=apiserver", now.plusSeconds(3600))), found);
    }

    @Test
    void aMissingKubernetesDirectoryIsNoError() {
        assertEquals(List.of(), new DiskCertificates(List.of(), List.of(), dir.resolve("absent")).scan());
    }

    private static java.security.cert.X509Certificate issue(TestCa ca, String cn, Instant from, Instant until) {
        return ca.issue(NodeKeys.csrPem(NodeKeys.generate(), cn, List.of(cn)), from, until);
    }
}
