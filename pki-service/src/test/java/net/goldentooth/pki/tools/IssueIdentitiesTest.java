package net.goldentooth.pki.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import net.goldentooth.pki.authority.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssueIdentitiesTest {

    @Test
    void issuesEachIdentityOnceWithItsNamesAndAPrivateKey(@TempDir Path dir) throws Exception {
        String[] args = {"--state-dir", dir.resolve("pki").toString(), "--password-file",
                dir.resolve("pki/ca-password").toString(), "--out", dir.resolve("out").toString(),
                "kafka=localhost,127.0.0.1,10.4.0.1", "provisioner"};
        String first = run(args);
        assertTrue(first.contains("initialised the CA"), first);
        Path out = dir.resolve("out");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("kafka.key"))));
        String pem = Files.readString(out.resolve("kafka.pem"));
        assertEquals(2, pem.split("BEGIN CERTIFICATE").length - 1, "leaf then intermediate");
        X509Certificate leaf = Pem.certificate(pem);
        assertTrue(leaf.getSubjectX500Principal().getName().startsWith("CN=kafka,"));
        List<String> names = leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertEquals(List.of("localhost", "127.0.0.1", "10.4.0.1"), names);
        X509Certificate root = Pem.certificate(Files.readString(out.resolve("root.pem")));
        X509Certificate intermediate = Pem.certificate(pem.substring(pem.indexOf("-----END CERTIFICATE-----") + 26));
        leaf.verify(intermediate.getPublicKey());
        intermediate.verify(root.getPublicKey());

        // Again: nothing changes while valid; a changed name set is issued anew.
        String second = run(args);
        assertTrue(second.contains("kafka: kept") && second.contains("provisioner: kept"), second);
        assertEquals(pem, Files.readString(out.resolve("kafka.pem")));
        args[args.length - 2] = "kafka=localhost,127.0.0.1,10.4.0.2";
        assertTrue(run(args).contains("kafka: issued"));
        assertNotEquals(pem, Files.readString(out.resolve("kafka.pem")));
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Options.parse(
                new String[] {"--out", "x", "kafka"})).getMessage().contains("--state-dir"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Identity.parse("bad name"))
                .getMessage().contains("'bad name'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Identity.parse("kafka=a b"))
                .getMessage().contains("'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Options.parse(new String[] {
                "--state-dir", "s", "--password-file", "p", "--out", "o", "--lifetime", "1h", "kafka"}))
                .getMessage().contains("--renew-within"));
    }

    /**
     * The seed's nodes ran 8 days behind (~L8420). An agent checks the broker's chain on its own
     * clock before it can learn bus time: issued now and back-dated a minute, the chain would be not
     * yet valid to it and the node would fall off the mutual-TLS bus. Back-dated 30 days, it
     * validates from 8 (and 29) days behind; from 31 days behind it does not.
     */
    @Test
    void theBrokersChainValidatesOnAClockUpTo30DaysBehind(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-12-07T06:00:00Z");
        String[] args = {"--state-dir", dir.resolve("pki").toString(), "--password-file",
                dir.resolve("pki/ca-password").toString(), "--out", dir.resolve("out").toString(), "kafka=10.4.0.1"};
        IssueIdentities.run(IssueIdentities.Options.parse(args), Clock.fixed(now, ZoneOffset.UTC),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate root = Pem.certificate(Files.readString(dir.resolve("out/root.pem")));
        List<X509Certificate> presented;
        try (var in = Files.newInputStream(dir.resolve("out/kafka.pem"))) {
            presented = x509.generateCertificates(in).stream().map(c -> (X509Certificate) c).toList();
        }
        var path = x509.generateCertPath(presented);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        for (int daysBehind : new int[] {0, 8, 29}) {
            params.setDate(Date.from(now.minus(Duration.ofDays(daysBehind))));
            CertPathValidator.getInstance("PKIX").validate(path, params);
        }
        params.setDate(Date.from(now.minus(Duration.ofDays(31))));
        assertThrows(CertPathValidatorException.class, () -> CertPathValidator.getInstance("PKIX").validate(path, params));
        assertEquals(now.minus(Duration.ofDays(30)), root.getNotBefore().toInstant(), "the root too");
    }

    private static String run(String[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IssueIdentities.run(IssueIdentities.Options.parse(args), Clock.systemUTC(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
