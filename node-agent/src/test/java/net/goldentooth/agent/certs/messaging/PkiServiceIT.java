package net.goldentooth.agent.certs.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import jakarta.inject.Inject;
import net.goldentooth.agent.AgentLifecycle;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The agent and the real pki-service over the real broker: the canary enrols with a one-time
 * token, installs the CA bundle from {@code pki.trust}, and is renewed by proof of possession;
 * {@code openssl verify} accepts the installed certificate against the installed bundle.
 */
@QuarkusTest
@QuarkusTestResource(value = PkiServiceTestResource.class, restrictToAnnotatedClass = true)
class PkiServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgentLifecycle agent;

    @Test
    void theCanaryEnrolsAndIsRenewedByProofOfPossessionThroughTheRealPki() throws Exception {
        String lineage = PkiServiceTestResource.node + "/canary";
        Path canary = PkiServiceTestResource.dir.resolve("agent/certs/canary");
        try (TopicProbe probe = new TopicProbe(bootstrap)) {
            CertRenewed enrolled = renewed(probe, lineage, null);
            X509Certificate first = NodeKeys.parseCertificates(Files.readString(canary.resolve("cert.pem"))).get(0);
            assertEquals(NodeKeys.serial(first), enrolled.serial());
            assertOpensslVerifies(canary.resolve("cert.pem"));

            CertRenewed renewed = renewed(probe, lineage, enrolled.serial());

            assertNotEquals(enrolled.serial(), renewed.serial());
            X509Certificate second = NodeKeys.parseCertificates(Files.readString(canary.resolve("cert.pem"))).get(0);
            assertEquals(NodeKeys.serial(second), renewed.serial());
            assertEquals(first.getPublicKey(), second.getPublicKey(), "renewed for the same key");
            List<ConsumerRecord<String, byte[]>> requests = probe.awaitRecord(Topics.CERT_REQUESTED, r -> {
                CertRequest request = EventCodec.decode(r.value(), CertRequest.class);
                return lineage.equals(request.lineage()) && request.kind() == CertKind.RENEW;
            }, WAIT);
            CertRequest renewal = EventCodec.decode(requests.get(requests.size() - 1).value(), CertRequest.class);
            assertEquals(null, renewal.token(), "a renewal carries proof, not a token");
            assertOpensslVerifies(canary.resolve("cert.pem"));
        }
    }

    /**
     * The SSH host certificate through the same loop: requested with the canary's proof, signed by
     * pki's host CA with the node's principals, installed for sshd; the SSH CA keys and the
     * provisioner's task key arrive from pki.trust (the agent was given only its enrolment token).
     */
    @Test
    void theSshHostCertificateAndTheSshTrustComeFromTheRealPki() throws Exception {
        String node = PkiServiceTestResource.node;
        Path ssh = PkiServiceTestResource.dir.resolve("ssh");
        try (TopicProbe probe = new TopicProbe(bootstrap)) {
            CertRenewed renewed = renewed(probe, node + "/ssh-host", null);
            Path certificate = ssh.resolve("ssh_host_ed25519_key-cert.pub");
            String shown = run("ssh-keygen", "-L", "-f", certificate.toString());
            assertTrue(shown.contains("host certificate"), shown);
            for (String principal : List.of(node, node + ".nodes.goldentooth.net", node + ".goldentooth.net",
                    "127.0.0.1")) {
                assertTrue(shown.contains("\n                " + principal + "\n"), principal + " in " + shown);
            }
            assertTrue(Files.exists(ssh.resolve("reloaded")), "sshd reload hook ran");
            assertEquals("HostCertificate " + certificate,
                    Files.readAllLines(ssh.resolve("sshd_config.d/goldentooth.conf")).get(1));
            assertTrue(renewed.notAfter().isAfter(java.time.Instant.now().plus(Duration.ofHours(23))));

            // The certificate is signed by the host CA installed as the @cert-authority line.
            String knownHosts = Files.readString(ssh.resolve("ssh_known_hosts"));
            assertTrue(knownHosts.startsWith("@cert-authority * ssh-ed25519 "), knownHosts);
            Path hostCa = Files.writeString(ssh.resolve("host-ca.pub"), knownHosts.split(" ")[2] + " "
                    + knownHosts.split(" ")[3] + "\n");
            String caFingerprint = run("ssh-keygen", "-l", "-f", hostCa.toString()).split(" ")[1];
            assertTrue(shown.contains("Signing CA: ED25519 " + caFingerprint), caFingerprint + " in " + shown);
            assertTrue(Files.readString(ssh.resolve("trusted-user-ca.pub")).startsWith("ssh-ed25519 "));
            assertNotEquals(Files.readString(ssh.resolve("trusted-user-ca.pub")).split(" ")[1], knownHosts.split(" ")[3],
                    "separate host and user CAs");

            // The provisioner's task key, vouched for by the token, is kept and trusted for tasks.
            Path learnt = PkiServiceTestResource.dir.resolve("agent/certs/task-signing.pub");
            assertEquals(Files.readString(PkiServiceTestResource.dir.resolve("task-signing.pub")).trim(),
                    Files.readString(learnt).trim());
            assertTrue(agent.taskKeys().verifierOf(SigningKeys.keyId(SigningKeys.readPublicKey(learnt))).isPresent());
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    /** The lineage's next cert.renewed after the one with serial {@code after} (null: the first). */
    private static CertRenewed renewed(TopicProbe probe, String lineage, String after) {
        List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.CERT_RENEWED, r -> lineage.equals(r.key())
                && !EventCodec.decode(r.value(), CertRenewed.class).serial().equals(after), WAIT);
        return EventCodec.decode(seen.get(seen.size() - 1).value(), CertRenewed.class);
    }

    private static void assertOpensslVerifies(Path certificate) throws Exception {
        Path bundle = PkiServiceTestResource.dir.resolve("trust/goldentooth.crt");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(bundle) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Process openssl = new ProcessBuilder("openssl", "verify", "-CAfile", bundle.toString(), certificate.toString())
                .redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.waitFor(), "openssl verify: " + out);
        assertTrue(out.contains(": OK"), out);
    }
}
