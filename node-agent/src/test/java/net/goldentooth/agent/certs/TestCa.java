package net.goldentooth.agent.certs;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import net.goldentooth.agent.certs.keys.NodeKeys;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A throwaway root and intermediate made with BouncyCastle, standing in for pki-service in tests:
 * it checks a CSR's signature and issues a leaf for the CSR's key with the CSR's SANs.
 */
public final class TestCa {

    private final KeyPair rootKeys = NodeKeys.generate();
    private final KeyPair intermediateKeys = NodeKeys.generate();
    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final AtomicLong serials = new AtomicLong(0x1000);

    public TestCa() {
        Instant now = Instant.now();
        root = sign(new JcaX509v3CertificateBuilder(new X500Name("CN=test root"), BigInteger.ONE,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400 * 365)),
                new X500Name("CN=test root"), rootKeys.getPublic()), true, rootKeys);
        intermediate = sign(new JcaX509v3CertificateBuilder(new X500Name("CN=test root"), BigInteger.TWO,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400 * 365)),
                new X500Name("CN=test intermediate"), intermediateKeys.getPublic()), true, rootKeys);
    }

    public X509Certificate root() {
        return root;
    }

    public String chainPem() {
        return NodeKeys.pem(intermediate) + NodeKeys.pem(root);
    }

    /** Parses a CSR PEM and throws unless its signature verifies with its own key. */
    public static JcaPKCS10CertificationRequest verifiedCsr(String csrPem) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(
                    (PKCS10CertificationRequest) parser.readObject());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey(csr)))) {
                throw new IllegalArgumentException("CSR signature does not verify");
            }
            return csr;
        } catch (Exception e) {
            throw new IllegalArgumentException("bad CSR: " + e.getMessage(), e);
        }
    }

    /** The CSR's key; looked up by name since the JDK's EC KeyFactory is not registered under its OID. */
    public static PublicKey publicKey(PKCS10CertificationRequest csr) throws Exception {
        return KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
    }

    /** A leaf for the CSR's key, with its SANs, valid from notBefore to notAfter. */
    public X509Certificate issue(String csrPem, Instant notBefore, Instant notAfter) {
        try {
            JcaPKCS10CertificationRequest csr = verifiedCsr(csrPem);
            return issue(publicKey(csr), csr, notBefore, notAfter);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private X509Certificate issue(PublicKey key, JcaPKCS10CertificationRequest csr, Instant notBefore,
                                  Instant notAfter) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(intermediate,
                BigInteger.valueOf(serials.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                csr.getSubject(), key);
        var requested = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (requested.length > 0) {
            Extensions extensions = Extensions.getInstance(requested[0].getAttrValues().getObjectAt(0));
            Extension san = extensions.getExtension(Extension.subjectAlternativeName);
            if (san != null) {
                builder.addExtension(san);
            }
        }
        return sign(builder, false, intermediateKeys);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, boolean ca, KeyPair issuer) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
