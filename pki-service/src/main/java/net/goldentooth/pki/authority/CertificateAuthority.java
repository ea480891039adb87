package net.goldentooth.pki.authority;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.goldentooth.pki.policy.LifetimePolicy;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * The X.509 half of the CA: an ECDSA P-256 root that signs only the intermediate, and the
 * intermediate that signs every leaf and the CRL. Both live in one PKCS#12 key store
 * ({@code x509-ca.p12}, mode 0600, encrypted with the CA password); their certificates are also
 * written as PEM beside it for operators and tests.
 */
public final class CertificateAuthority {

    static final String KEYSTORE_FILE = "x509-ca.p12";
    static final String ROOT_PEM = "root.pem";
    static final String INTERMEDIATE_PEM = "intermediate.pem";
    private static final String ROOT_ALIAS = "root";
    private static final String INTERMEDIATE_ALIAS = "intermediate";
    private static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
    private static final Duration INTERMEDIATE_LIFETIME = Duration.ofDays(1825);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int SIGNED_MEMORY = 100_000;

    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final ThreadLocal<ContentSigner> signers;
    private final String chainPem;
    /** The intermediate's name and key as BouncyCastle objects, read once rather than per certificate. */
    private final X500Name issuerName;
    private final PublicKey issuerKey;
    private final AuthorityKeyIdentifier authorityKeyId;
    /**
     * SHA-256 fingerprints of certificates this CA signed since start: a renewal presents the
     * certificate issued last time, and byte equality with one we signed proves its origin as well
     * as verifying its signature again would. A miss (older than the memory, or from before a
     * restart) is verified.
     */
    private final Map<String, Boolean> signedHere = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SIGNED_MEMORY;
        }
    };

    private CertificateAuthority(X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey) {
        this.root = root;
        this.intermediate = intermediate;
        this.chainPem = Pem.of(intermediate) + Pem.of(root);
        // A ContentSigner is stateful (it wraps one java.security.Signature): one per thread.
        this.signers = ThreadLocal.withInitial(() -> EcCrypto.signer(intermediateKey));
        try {
            this.authorityKeyId = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(intermediate);
            X509CertificateHolder holder = new X509CertificateHolder(intermediate.getEncoded());
            this.issuerName = holder.getSubject();
            this.issuerKey = EcCrypto.publicKey(holder.getSubjectPublicKeyInfo());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the intermediate's name and keys", e);
        }
    }

    /** True when {@code stateDir} already holds a CA. */
    public static boolean exists(Path stateDir) {
        return Files.exists(stateDir.resolve(KEYSTORE_FILE));
    }

    /** Loads the CA from {@code stateDir}. */
    public static CertificateAuthority load(Path stateDir, char[] password) throws IOException {
        Path file = stateDir.resolve(KEYSTORE_FILE);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
            X509Certificate root = (X509Certificate) store.getCertificate(ROOT_ALIAS);
            X509Certificate intermediate = (X509Certificate) store.getCertificate(INTERMEDIATE_ALIAS);
            PrivateKey key = (PrivateKey) store.getKey(INTERMEDIATE_ALIAS, password);
            if (root == null || intermediate == null || key == null) {
                throw new IOException(file + " lacks the root or intermediate entry");
            }
            return new CertificateAuthority(root, intermediate, key);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " cannot be opened (wrong password or damaged file): " + e.getMessage(), e);
        }
    }

    /** Creates a new root and intermediate in {@code stateDir}; refuses to overwrite an existing CA. */
    public static CertificateAuthority initialise(Path stateDir, char[] password, Clock clock) throws IOException {
        if (exists(stateDir)) {
            throw new IOException(stateDir.resolve(KEYSTORE_FILE) + " exists; refusing to replace the CA");
        }
        try {
            Instant now = clock.instant();
            KeyPair rootKeys = newKeyPair();
            KeyPair intermediateKeys = newKeyPair();
            X500Name rootName = caName("Goldentooth Root CA");
            X500Name intermediateName = caName("Goldentooth Intermediate CA");
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder rootBuilder = new JcaX509v3CertificateBuilder(rootName, randomSerial(),
                    Date.from(now.minus(LifetimePolicy.TRUSTED_BACKDATE)), Date.from(now.plus(ROOT_LIFETIME)), rootName,
                    rootKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(rootKeys.getPublic()));
            X509Certificate root = convert(rootBuilder.build(EcCrypto.signer(rootKeys.getPrivate())));
            X509v3CertificateBuilder intermediateBuilder = new JcaX509v3CertificateBuilder(root, randomSerial(),
                    Date.from(now.minus(LifetimePolicy.TRUSTED_BACKDATE)), Date.from(now.plus(INTERMEDIATE_LIFETIME)),
                    intermediateName, intermediateKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(intermediateKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(root));
            X509Certificate intermediate = convert(intermediateBuilder.build(EcCrypto.signer(rootKeys.getPrivate())));

            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(ROOT_ALIAS, rootKeys.getPrivate(), password, new Certificate[] {root});
            store.setKeyEntry(INTERMEDIATE_ALIAS, intermediateKeys.getPrivate(), password,
                    new Certificate[] {intermediate, root});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            SecureFiles.write(stateDir.resolve(ROOT_PEM), Pem.of(root).getBytes(StandardCharsets.US_ASCII),
                    SecureFiles.PUBLIC);
            SecureFiles.write(stateDir.resolve(INTERMEDIATE_PEM),
                    Pem.of(intermediate).getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC);
            // The key store last: its presence is what "initialised" means.
            SecureFiles.write(stateDir.resolve(KEYSTORE_FILE), bytes.toByteArray(), SecureFiles.PRIVATE);
            return new CertificateAuthority(root, intermediate, intermediateKeys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the CA: " + e.getMessage(), e);
        }
    }

    /** What a leaf certifies; the caller has already applied the policy. */
    public record LeafSpec(PublicKey publicKey, String node, String lineage, List<String> dnsNames,
                           List<String> ipAddresses, Instant notBefore, Instant notAfter) {
    }

    /** A signed leaf: its serial and its DER encoding. */
    public record Signed(BigInteger serial, byte[] der) {

        public String pem() {
            return Pem.certificate(der);
        }
    }

    /** As {@link #sign(LeafSpec)}, as a JCA certificate. */
    public X509Certificate issue(LeafSpec spec) {
        try {
            return convert(new X509CertificateHolder(sign(spec).der()));
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read back a leaf for " + spec.lineage(), e);
        }
    }

    /**
     * Signs a leaf for TLS server and client use. The subject is {@code CN=<node>, OU=<lineage>},
     * which is how a later renewal proof is tied to its node and lineage.
     */
    public Signed sign(LeafSpec spec) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "goldentooth")
                    .addRDN(BCStyle.OU, spec.lineage())
                    .addRDN(BCStyle.CN, spec.node())
                    .build();
            GeneralName[] names = new GeneralName[spec.dnsNames().size() + spec.ipAddresses().size()];
            int i = 0;
            for (String dns : spec.dnsNames()) {
                names[i++] = new GeneralName(GeneralName.dNSName, dns);
            }
            for (String ip : spec.ipAddresses()) {
                names[i++] = new GeneralName(GeneralName.iPAddress, ip);
            }
            BigInteger serial = randomSerial();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
                    x509Time(spec.notBefore()), x509Time(spec.notAfter()), subject,
                    SubjectPublicKeyInfo.getInstance(spec.publicKey().getEncoded()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            if (names.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            byte[] der = builder.build(signers.get()).getEncoded();
            remember(der);
            return new Signed(serial, der);
        } catch (IOException e) {
            throw new IllegalStateException("cannot sign a leaf for " + spec.lineage(), e);
        }
    }

    /** A CRL signed by the intermediate listing {@code revokedSerials}, valid for {@code validity}. */
    public X509CRL crl(Collection<BigInteger> revokedSerials, Instant now, Duration validity) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(intermediate, Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            for (BigInteger serial : revokedSerials) {
                builder.addCRLEntry(serial, Date.from(now), CRLReason.cessationOfOperation);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signers.get()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the CRL", e);
        }
    }

    /**
     * True when {@code certificate} was signed by this CA's intermediate: one ECDSA verification of
     * its to-be-signed part with the intermediate's key (BouncyCastle's own
     * {@code isSignatureValid} with a JCA verifier would verify twice), unless it is one this CA
     * signed since start.
     */
    public boolean signed(X509CertificateHolder certificate) {
        try {
            byte[] encoded = certificate.getEncoded();
            synchronized (signedHere) {
                if (signedHere.containsKey(fingerprint(encoded))) {
                    return true;
                }
            }
            if (!certificate.getIssuer().equals(issuerName)
                    || !X9ObjectIdentifiers.ecdsa_with_SHA256.equals(certificate.getSignatureAlgorithm().getAlgorithm())) {
                return false;
            }
            Signature verifier = EcCrypto.signature(EcCrypto.SIGNATURE);
            verifier.initVerify(issuerKey);
            verifier.update(certificate.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER));
            if (!verifier.verify(certificate.getSignature())) {
                return false;
            }
            remember(encoded);
            return true;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private void remember(byte[] encoded) {
        String fingerprint = fingerprint(encoded);
        synchronized (signedHere) {
            signedHere.put(fingerprint, Boolean.TRUE);
        }
    }

    private static String fingerprint(byte[] encoded) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    /** Intermediate then root, PEM: what a server presents after its leaf. */
    public String chainPem() {
        return chainPem;
    }

    /**
     * RFC 5280's validity time (UTCTime for 1950 to 2049, GeneralizedTime otherwise; whole seconds),
     * as BouncyCastle's {@code Time(Date)} makes it but without a {@code SimpleDateFormat} per call
     * (its constructors from a Date or a String each build one, a few per cent of an issuance): the
     * text is formatted here and read back as DER, which takes the digits as they are.
     */
    static Time x509Time(Instant instant) {
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        boolean utc = year >= 1950 && year <= 2049;
        byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(instant).getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[text.length + 2];
        der[0] = (byte) (utc ? BERTags.UTC_TIME : BERTags.GENERALIZED_TIME);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        try {
            return Time.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the time " + instant, e);
        }
    }

    /** 128 random bits with the top bit set: positive, always 16 bytes, never a guessable sequence. */
    private static BigInteger randomSerial() {
        return new BigInteger(128, RANDOM).setBit(127);
    }

    private static X500Name caName(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "goldentooth").addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate convert(org.bouncycastle.cert.X509CertificateHolder holder)
            throws java.security.cert.CertificateException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
