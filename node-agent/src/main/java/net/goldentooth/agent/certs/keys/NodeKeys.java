package net.goldentooth.agent.certs.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The node's side of X.509: ECDSA P-256 key pairs made here (the private key never leaves the
 * node), PKCS#10 CSRs, proofs of possession and certificate parsing. Nothing here logs; a
 * {@link KeyPair}'s {@code toString} would not print the key either, but no caller should try.
 */
public final class NodeKeys {

    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final String CURVE = "secp256r1";

    private NodeKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 has EC " + CURVE, e);
        }
    }

    /** PKCS#8 PEM ({@code PRIVATE KEY}), what most services read. */
    public static String privateKeyPem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the node's key as PKCS#8", e);
        }
        return out.toString();
    }

    /**
     * Reads an EC private key in PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
     * PEM and derives its public key, so a key written by openssl is accepted too.
     *
     * @throws KeyFormatException when the text is not one EC private key (the message never quotes the text)
     */
    public static KeyPair readKeyPair(String pem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("not a PEM private key: " + e.getClass().getSimpleName());
        }
        PrivateKeyInfo info;
        if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PrivateKeyInfo plain) {
            info = plain;
        } else {
            throw new KeyFormatException("not a PEM private key");
        }
        if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                || !SECObjectIdentifiers.secp256r1.equals(info.getPrivateKeyAlgorithm().getParameters())) {
            throw new KeyFormatException("not an EC P-256 private key");
        }
        try {
            // The scalar d and the named curve are all a key is; built by hand because the JDK's
            // PKCS#8 parser and OID lookups differ from what openssl and BouncyCastle write.
            BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(CURVE));
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                    new ECPrivateKeySpec(d, parameters.getParameterSpec(ECParameterSpec.class)));
            return new KeyPair(publicOf(key), key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyFormatException("unreadable EC private key: " + e.getClass().getSimpleName());
        }
    }

    /** Q = d·G on the key's curve: the JDK keeps no public point in an EC private key. */
    private static PublicKey publicOf(ECPrivateKey key) throws GeneralSecurityException {
        X9ECParameters curve = CustomNamedCurves.getByName("P-256");
        if (!curve.getN().equals(key.getParams().getOrder())) {
            throw new KeyFormatException("not a P-256 key");
        }
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(key.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, key.getParams()));
    }

    /**
     * A PKCS#10 CSR signed with {@code keys}: subject {@code CN=<commonName>}, the names as a
     * subjectAltName extension request (IP literals as IP addresses, the rest as DNS names).
     */
    public static String csrPem(KeyPair keys, String commonName, List<String> names) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            GeneralName[] alternatives = names.stream()
                    .map(name -> IPAddress.isValid(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name))
                    .toArray(GeneralName[]::new);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keys.getPrivate()));
            return pem(csr);
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build a CSR: " + e.getMessage(), e);
        }
    }

    /** Base64 of the SHA256withECDSA signature of {@code material} by {@code key}: a proof of possession. */
    public static String sign(PrivateKey key, byte[] material) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key);
            signature.update(material);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node's key", e);
        }
    }

    /** Every certificate in a PEM text, in order; empty for null or blank text. */
    public static List<X509Certificate> parseCertificates(String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException e) {
            throw new KeyFormatException("not PEM certificates: " + e.getMessage());
        }
    }

    public static String pem(X509Certificate certificate) {
        return pem((Object) certificate);
    }

    /** SHA-256 of the DER encoding, lower-case hex: what a TLS probe compares. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a parsed certificate", e);
        }
    }

    /** The serial in lower-case hex, as pki writes it. */
    public static String serial(X509Certificate certificate) {
        BigInteger serial = certificate.getSerialNumber();
        return serial.toString(16);
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A key or certificate text that cannot be used; the message names the problem, never the content. */
    public static final class KeyFormatException extends RuntimeException {
        public KeyFormatException(String message) {
            super(message);
        }
    }
}
