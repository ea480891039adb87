package net.goldentooth.pki.authority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.goldentooth.pki.TestKeys;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The X.509 authority, checked by the real {@code openssl}. */
class CertificateAuthorityTest {

    @TempDir
    Path dir;

    @Test
    void firstStartInitialisesLaterStartsLoadTheSameCaAndKeysAre0600() throws Exception {
        char[] password = CaPassword.loadOrCreate(dir.resolve("password"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("password"))));
        assertFalse(CertificateAuthority.exists(dir));
        CertificateAuthority created = CertificateAuthority.initialise(dir, password, Clock.systemUTC());
        assertTrue(CertificateAuthority.exists(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(CertificateAuthority.KEYSTORE_FILE))));
        CertificateAuthority loaded = CertificateAuthority.load(dir, CaPassword.loadOrCreate(dir.resolve("password")));
        assertEquals(created.root(), loaded.root());
        assertEquals(created.intermediate(), loaded.intermediate());
        assertThrows(java.io.IOException.class, () -> CertificateAuthority.initialise(dir, password, Clock.systemUTC()));
        assertThrows(java.io.IOException.class, () -> CertificateAuthority.load(dir, "wrong".toCharArray()));
    }

    @Test
    void leafChainsToTheRootForOpenssl() throws Exception {
        CertificateAuthority ca = CertificateAuthority.initialise(dir, "pw".toCharArray(), Clock.systemUTC());
        KeyPair keys = TestKeys.ecKeyPair();
        Csr csr = Csr.parse(TestKeys.csr(keys, "bettley", List.of("bettley", "10.4.0.11")));
        assertEquals(List.of("bettley", "10.4.0.11"), csr.requestedNames());
        Instant now = Instant.now();
        X509Certificate leaf = ca.issue(new CertificateAuthority.LeafSpec(csr.publicKey(), "bettley",
                "bettley/consul", List.of("bettley", "bettley.nodes.goldentooth.net"), List.of("10.4.0.11"),
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(24))));
        assertTrue(ca.signed(new X509CertificateHolder(leaf.getEncoded())));
        assertEquals(16, leaf.getSerialNumber().toByteArray().length - (leaf.getSerialNumber().toByteArray()[0] == 0 ? 1 : 0));
        Files.writeString(dir.resolve("leaf.pem"), Pem.of(leaf));
        TestKeys.Run verify = TestKeys.run(dir, List.of("openssl", "verify", "-CAfile", "root.pem",
                "-untrusted", "intermediate.pem", "leaf.pem"));
        assertEquals(0, verify.exitCode(), verify.output());
        assertTrue(verify.output().contains("leaf.pem: OK"), verify.output());
        TestKeys.Run text = TestKeys.run(dir, List.of("openssl", "x509", "-in", "leaf.pem", "-noout", "-text"));
        assertTrue(text.output().contains("DNS:bettley.nodes.goldentooth.net"), text.output());
        assertTrue(text.output().contains("IP Address:10.4.0.11"), text.output());

        // A leaf signed by another CA does not verify against ours, for openssl or for us.
        Path other = Files.createDirectories(dir.resolve("other"));
        CertificateAuthority foreign = CertificateAuthority.initialise(other, "pw".toCharArray(), Clock.systemUTC());
        X509Certificate stranger = foreign.issue(new CertificateAuthority.LeafSpec(keys.getPublic(), "bettley",
                "bettley/consul", List.of("bettley"), List.of(), now, now.plus(Duration.ofHours(1))));
        assertFalse(ca.signed(new X509CertificateHolder(stranger.getEncoded())));
        Files.writeString(dir.resolve("stranger.pem"), Pem.of(stranger), StandardCharsets.US_ASCII);
        TestKeys.Run refused = TestKeys.run(dir, List.of("openssl", "verify", "-CAfile", "root.pem",
                "-untrusted", "intermediate.pem", "stranger.pem"));
        assertTrue(refused.exitCode() != 0, refused.output());
    }

    @Test
    void crlIsAnX509CrlThatOpensslVerifiesAgainstTheIntermediate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.initialise(dir, "pw".toCharArray(), Clock.systemUTC());
        java.math.BigInteger serial = new java.math.BigInteger("5c1d0e6a9b7f4e2d8a3c1b0f9e8d7c6b", 16);
        Files.writeString(dir.resolve("crl.pem"), Pem.of(ca.crl(List.of(serial), Instant.now(), Duration.ofDays(1))));
        TestKeys.Run crl = TestKeys.run(dir, List.of("openssl", "crl", "-in", "crl.pem", "-CAfile",
                "intermediate.pem", "-noout", "-text"));
        assertEquals(0, crl.exitCode(), crl.output());
        assertTrue(crl.output().contains("verify OK") || crl.output().contains("verify ok"), crl.output());
        assertTrue(crl.output().toUpperCase().contains("5C1D0E6A9B7F4E2D8A3C1B0F9E8D7C6B"), crl.output());
    }

    @Test
    void garbageAndForgedCsrsAreRefusedWithAReason() {
        assertThrows(InvalidCsrException.class, () -> Csr.parse("hello"));
        assertThrows(InvalidCsrException.class, () -> Csr.parse(
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"));
        String good = TestKeys.csr(TestKeys.ecKeyPair(), "bettley", List.of("bettley"));
        InvalidCsrException forged = assertThrows(InvalidCsrException.class, () -> Csr.parse(TestKeys.flipSignatureByte(good)));
        assertTrue(forged.getMessage().contains("signature"), forged.getMessage());
    }

    @Test
    void aLoadedCaVerifiesItsEarlierLeavesAndRefusesATamperedOrForeignOne() throws Exception {
        CertificateAuthority created = CertificateAuthority.initialise(dir, "pw".toCharArray(), Clock.systemUTC());
        Instant now = Instant.now();
        CertificateAuthority.LeafSpec spec = new CertificateAuthority.LeafSpec(TestKeys.ecKeyPair().getPublic(),
                "bettley", "bettley/consul", List.of("bettley"), List.of("10.4.0.11"), now, now.plus(Duration.ofHours(1)));
        CertificateAuthority.Signed leaf = created.sign(spec);
        // After a restart nothing is remembered: the leaf's signature is verified against the intermediate.
        CertificateAuthority loaded = CertificateAuthority.load(dir, "pw".toCharArray());
        assertTrue(loaded.signed(new X509CertificateHolder(leaf.der())));
        byte[] tampered = leaf.der().clone();
        tampered[tampered.length - 1] ^= 0x01;
        assertFalse(loaded.signed(new X509CertificateHolder(tampered)));
        CertificateAuthority foreign = CertificateAuthority.initialise(Files.createDirectories(dir.resolve("other")),
                "pw".toCharArray(), Clock.systemUTC());
        assertFalse(loaded.signed(new X509CertificateHolder(foreign.sign(spec).der())));
    }

    @Test
    void aLeafIsWrittenAsPemExactlyAsThePemWriterWritesItAndReadsBack() throws Exception {
        CertificateAuthority ca = CertificateAuthority.initialise(dir, "pw".toCharArray(), Clock.systemUTC());
        Instant now = Instant.now();
        CertificateAuthority.Signed leaf = ca.sign(new CertificateAuthority.LeafSpec(TestKeys.ecKeyPair().getPublic(),
                "bettley", "bettley/consul", List.of("bettley", "bettley.nodes.goldentooth.net"), List.of(), now,
                now.plus(Duration.ofHours(1))));
        X509Certificate parsed = Pem.certificate(leaf.pem());
        assertEquals(Pem.of(parsed), leaf.pem());
        assertEquals(leaf.serial(), parsed.getSerialNumber());
        assertEquals(leaf.serial(), Pem.holder(leaf.pem()).getSerialNumber());
        assertEquals(now.truncatedTo(ChronoUnit.SECONDS), parsed.getNotBefore().toInstant());
        assertEquals(now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS), parsed.getNotAfter().toInstant());
    }

    @Test
    void validityTimesAreUtcTimeThrough2049AndGeneralizedTimeFrom2050() {
        Instant last = Instant.parse("2049-12-31T23:59:59.900Z");
        Instant first = Instant.parse("2050-01-01T00:00:00Z");
        assertEquals(new Time(java.util.Date.from(last)), CertificateAuthority.x509Time(last));
        assertEquals(new Time(java.util.Date.from(first)), CertificateAuthority.x509Time(first));
        assertTrue(CertificateAuthority.x509Time(last).toASN1Primitive() instanceof ASN1UTCTime);
        assertTrue(CertificateAuthority.x509Time(first).toASN1Primitive() instanceof ASN1GeneralizedTime);
        assertEquals(first, CertificateAuthority.x509Time(first).getDate().toInstant());
    }
}
