package net.goldentooth.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.scan.DiskCertificates;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code certificates} facts section: the seed's kubeadm certificates expired and took the API
 * server down (seed lines 9863-9892) because nothing watched them. The agent reports every
 * certificate it finds so pki watches those it did not issue too.
 */
class CertificateFactsTest {

    @TempDir
    Path dir;

    @Test
    void kubeadmsSelfSignedCertificateAndAManagedOneAreReportedInTheFactsSection() throws Exception {
        Path kube = Files.createDirectories(dir.resolve("kubernetes/pki"));
        Path apiserver = kube.resolve("apiserver.crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", kube.resolve("apiserver.key").toString(), "-out", apiserver.toString(),
                "-days", "5", "-subj", "/CN=kube-apiserver", "-set_serial", "0x5f3a9c01d2");
        String fingerprint = openssl("x509", "-in", apiserver.toString(), "-noout", "-fingerprint", "-sha256")
                .replaceAll("(?s).*=", "").replace(":", "").trim().toLowerCase();

        TestCa ca = new TestCa();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path consul = dir.resolve("consul.pem");
        Files.writeString(consul, NodeKeys.pem(ca.issue(NodeKeys.csrPem(NodeKeys.generate(), "consul",
                List.of("consul")), now.minusSeconds(60), now.plusSeconds(86_400))));

        SystemFacts sources = new SystemFacts(new CommandRunner(Duration.ofSeconds(5)), List.of(),
                new DiskCertificates(List.of(consul), List.of(), List.of(), kube));
        CollectedFacts collected;
        try (FactsGatherer gatherer = new FactsGatherer(sources, Duration.ofSeconds(10), Clock.systemUTC(), s -> { })) {
            collected = gatherer.gather();
        }

        NodeFacts.Section<List<NodeFacts.FoundCertificate>> section = collected.certificates();
        assertFalse(section.stale(), section.error());
        List<NodeFacts.FoundCertificate> found = section.value();
        assertEquals(2, found.size(), found.toString());

        NodeFacts.FoundCertificate managed = found.get(0);
        assertEquals(consul.toString(), managed.path());
        assertEquals("CN=consul", managed.subject());
        assertEquals("CN=test intermediate", managed.issuer());
        assertEquals(now.plusSeconds(86_400), managed.notAfter());
        assertTrue(managed.managed());

        NodeFacts.FoundCertificate kubeadm = found.get(1);
        assertEquals(apiserver.toString(), kubeadm.path());
        assertEquals("CN=kube-apiserver", kubeadm.subject());
        assertEquals("CN=kube-apiserver", kubeadm.issuer(), "self-signed: not issued by our CA");
        assertEquals("5f3a9c01d2", kubeadm.serial());
        assertEquals(fingerprint, kubeadm.sha256Fingerprint(), "the fingerprint openssl computes");
        assertEquals(Duration.ofDays(5), Duration.between(kubeadm.notBefore(), kubeadm.notAfter()));
        assertFalse(kubeadm.managed());

        NodeFacts published = collected.forNode("bettley", 1, "test", now);
        assertEquals(found, published.certificates().value());
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs openssl on PATH (Debian package openssl): " + e.getMessage(), e);
        }
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, process.exitValue(), "openssl " + String.join(" ", args) + ": " + out);
        return out;
    }
}
