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
import net.goldentooth.agent.certs.keys.NodeKeys;
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
