package net.goldentooth.agent.certs.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.renewal.EnrolmentTokens;
import net.goldentooth.agent.certs.renewal.LineageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the first enrolment that need no pki-service: what counts as "a usable certificate
 * is already there", that the token only ever goes to an https URL, and that an unreachable
 * pki-service fails the start naming it without spending the token. The enrolment itself against
 * the real pki-service over HTTPS is e2e/SecureBusIT.
 */
class FirstCertificateTest {

    @Test
    void onlyAKeyWithItsOwnUnexpiredCertificateCountsAsPresent(@TempDir Path dir) throws Exception {
        LineageSpec spec = spec(dir);
        assertFalse(FirstCertificate.present(spec, Instant.now()), "nothing on disk");
        var keys = NodeKeys.generate();
        Files.writeString(spec.keyPath(), NodeKeys.privateKeyPem(keys.getPrivate()));
        assertFalse(FirstCertificate.present(spec, Instant.now()), "a key without a certificate");
        Files.writeString(spec.certPath(), "not a certificate");
        assertFalse(FirstCertificate.present(spec, Instant.now()), "an unreadable certificate");
    }

    @Test
    void theTokenGoesOnlyToAnHttpsUrl(@TempDir Path dir) throws Exception {
        EnrolmentTokens tokens = new EnrolmentTokens(dir.resolve("token"), dir.resolve("spent"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new FirstCertificate(
                spec(dir), URI.create("http://10.4.0.10:8082/enrolment"), dir.resolve("root.pem"), tokens,
                Duration.ofSeconds(1), Clock.systemUTC()));
        assertTrue(refused.getMessage().startsWith("goldentooth.agent.enrolment.url must be an https:// URL"),
                refused.getMessage());
    }

    @Test
    void anUnreachablePkiServiceFailsTheStartAndKeepsTheToken(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token"), "the-token\n");
        // Any certificate will do as the trust root: nothing answers on the port.
        var keys = NodeKeys.generate();
        Files.writeString(dir.resolve("root.pem"), selfSigned(keys));
        EnrolmentTokens tokens = new EnrolmentTokens(dir.resolve("token"), dir.resolve("spent"));
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        FirstCertificate first = new FirstCertificate(spec(dir), URI.create("https://127.0.0.1:" + port + "/enrolment"),
                dir.resolve("root.pem"), tokens, Duration.ofMillis(500), Clock.systemUTC());
        FirstCertificate.EnrolmentFailedException failed = assertThrows(
                FirstCertificate.EnrolmentFailedException.class, first::obtain);
        assertTrue(failed.getMessage().startsWith("cannot reach https://127.0.0.1:" + port), failed.getMessage());
        assertEquals(Optional.of("the-token"), tokens.take(), "a token that reached nobody is not spent");
        assertTrue(Files.exists(dir.resolve("key.pem")), "the key is made before the request");
        assertFalse(Files.readString(dir.resolve("key.pem"), StandardCharsets.US_ASCII).isEmpty());
    }

    private static LineageSpec spec(Path dir) {
        return new LineageSpec("alpha", "alpha/kafka", "kafka", dir.resolve("cert.pem"), dir.resolve("key.pem"),
                Optional.of(dir.resolve("chain.pem")), FileSpec.mode("0600"), FileSpec.mode("0644"), List.of("alpha"),
                Duration.ofHours(24), Optional.empty(), Optional.empty());
    }

    private static String selfSigned(java.security.KeyPair keys) throws Exception {
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=test-root");
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plusSeconds(3600)),
                name, keys.getPublic());
        var holder = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate()));
        return NodeKeys.pem(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder));
    }
}
