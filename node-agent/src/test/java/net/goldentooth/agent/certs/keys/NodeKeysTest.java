package net.goldentooth.agent.certs.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.goldentooth.agent.certs.TestCa;
import net.goldentooth.events.cert.CertRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeKeysTest {

    private final KeyPair keys = NodeKeys.generate();

    @Test
    void csrIsSignedByTheNodeKeyAndCarriesTheNames() throws Exception {
        String pem = NodeKeys.csrPem(keys, "bettley", List.of("bettley", "bettley.nodes.goldentooth.net", "10.4.0.11"));

        JcaPKCS10CertificationRequest csr = TestCa.verifiedCsr(pem);

        assertEquals(keys.getPublic(), TestCa.publicKey(csr));
        assertEquals("CN=bettley", csr.getSubject().toString());
        Extensions extensions = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        GeneralName[] names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName).getNames();
        Set<String> found = Stream.of(names).map(n -> n.getTagNo() + "=" + n.getName()).collect(Collectors.toSet());
        assertEquals(Set.of("2=bettley", "2=bettley.nodes.goldentooth.net", "7=#0a04000b"), found);
    }

    @Test
    void aCsrAlteredAfterSigningDoesNotVerify() {
        String pem = NodeKeys.csrPem(keys, "bettley", List.of("bettley"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        int cn = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("bettley");
        der[cn] = 'c'; // CN=cettley: still well-formed DER, only the signature no longer fits
        String forged = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";

        assertThrows(IllegalArgumentException.class, () -> TestCa.verifiedCsr(forged));
    }

    @Test
    void proofVerifiesWithThePublicKeyOverTheContractsMaterial() throws Exception {
        String csr = NodeKeys.csrPem(keys, "bettley", List.of("bettley"));
        byte[] material = CertRequest.proofMaterial("req-1", csr);

        String proof = NodeKeys.sign(keys.getPrivate(), material);

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(material);
        assertTrue(verifier.verify(Base64.getDecoder().decode(proof)));
        verifier.initVerify(keys.getPublic());
        verifier.update(CertRequest.proofMaterial("req-2", csr));
        assertFalse(verifier.verify(Base64.getDecoder().decode(proof)), "a proof must not fit another request id");
    }

    @Test
    void privateKeyPemRoundTripsAndDerivesThePublicKey() {
        String pem = NodeKeys.privateKeyPem(keys.getPrivate());

        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8, what services read");
        KeyPair read = NodeKeys.readKeyPair(pem);
        assertEquals(keys.getPublic(), read.getPublic());
        assertEquals(keys.getPrivate(), read.getPrivate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl ecparam -name prime256v1 -genkey -noout", // SEC1, EC PRIVATE KEY
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"}) // PKCS#8
    void keysWrittenByOpensslAreReadAndTheirPublicKeyDerived(String generate) throws Exception {
        String pem = run(generate, "");
        String publicPem = run("openssl pkey -pubout", pem);
        PublicKey expected = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                .decode(publicPem.replaceAll("-----[A-Z ]+-----", "").trim())));

        assertEquals(expected, NodeKeys.readKeyPair(pem).getPublic());
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() throws Exception {
        String p384 = run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384", "");

        assertThrows(NodeKeys.KeyFormatException.class, () -> NodeKeys.readKeyPair(p384));
    }

    private static String run(String command, String stdin) throws Exception {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, process.waitFor(), command + " failed (is openssl installed?): " + out);
        return out;
    }

    @Test
    void anUnreadableKeyIsRefusedWithoutQuotingIt() {
        String secretLooking = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n";

        NodeKeys.KeyFormatException e = assertThrows(NodeKeys.KeyFormatException.class,
                () -> NodeKeys.readKeyPair(secretLooking));
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    }

    @Test
    void fingerprintAndSerialOfAnIssuedCertificate() {
        TestCa ca = new TestCa();
        var leaf = ca.issue(NodeKeys.csrPem(keys, "bettley", List.of("bettley")), java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(600));

        assertEquals(64, NodeKeys.fingerprint(leaf).length());
        assertEquals(leaf.getSerialNumber().toString(16), NodeKeys.serial(leaf));
        assertEquals(List.of(leaf), NodeKeys.parseCertificates(NodeKeys.pem(leaf)));
    }
}
