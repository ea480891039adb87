package net.goldentooth.pki.ssh;

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
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import net.goldentooth.pki.authority.SecureFiles;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One OpenSSH certificate authority (host or user): an Ed25519 key in its own PKCS#12 key store
 * (mode 0600, encrypted with the CA password). PKCS#12 holds private keys only with a
 * certificate, so the key travels with a self-signed X.509 certificate that names it and is used
 * for nothing else. The certificate format itself is Apache MINA sshd's.
 */
public final class SshCertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALIAS = "ssh-ca";

    private final OpenSshCertificate.Type type;
    private final KeyPair keys;
    private final String publicKeyLine;

    private SshCertificateAuthority(OpenSshCertificate.Type type, KeyPair keys, String comment) {
        this.type = type;
        this.keys = keys;
        this.publicKeyLine = PublicKeyEntry.toString(keys.getPublic()) + " " + comment;
    }

    /** Loads the CA of {@code type} from {@code file}, creating it first when absent. */
    public static SshCertificateAuthority loadOrCreate(OpenSshCertificate.Type type, Path file, char[] password,
                                                       Clock clock) throws IOException {
        String comment = "goldentooth-" + type.name().toLowerCase(java.util.Locale.ROOT) + "-ca";
        try {
            if (!Files.exists(file)) {
                KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
                generator.initialize(256); // Ed25519; MINA's EdDSA generator has no default curve
                KeyPair generated = generator.generateKeyPair();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, password);
                store.setKeyEntry(ALIAS, generated.getPrivate(), password,
                        new Certificate[] {selfSigned(generated, comment, clock.instant())});
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                store.store(bytes, password);
                SecureFiles.write(file, bytes.toByteArray(), SecureFiles.PRIVATE);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
            PrivateKey stored = (PrivateKey) store.getKey(ALIAS, password);
            if (stored == null) {
                throw new IOException(file + " has no '" + ALIAS + "' entry");
            }
            // The JDK hands back its own EdDSA key class; MINA signs with the one its EdDSA support knows.
            PrivateKey privateKey = SecurityUtils.getKeyFactory(SecurityUtils.EDDSA)
                    .generatePrivate(new PKCS8EncodedKeySpec(stored.getEncoded()));
            PublicKey publicKey = SecurityUtils.recoverEDDSAPublicKey(privateKey);
            return new SshCertificateAuthority(type, new KeyPair(publicKey, privateKey), comment);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException(file + " cannot be created or opened (wrong password or damaged file): "
                    + e.getMessage(), e);
        }
    }

    /** What to certify: the key line, principals and validity window. */
    public record Spec(String subjectPublicKey, String keyId, List<String> principals, Instant validAfter,
                       Instant validBefore) {
    }

    /** A signed certificate: the OpenSSH line and its serial. */
    public record Signed(String certificate, long serial) {
        public String serialHex() {
            return Long.toHexString(serial);
        }
    }

    /** Signs an OpenSSH certificate of this CA's type; a key line that cannot be parsed is an {@link IllegalArgumentException}. */
    public Signed sign(Spec spec) {
        PublicKey subject = parsePublicKey(spec.subjectPublicKey());
        OpenSshCertificateBuilder builder = type == OpenSshCertificate.Type.HOST
                ? OpenSshCertificateBuilder.hostCertificate()
                : OpenSshCertificateBuilder.userCertificate();
        long serial = RANDOM.nextLong() & Long.MAX_VALUE;
        builder.publicKey(subject)
                .serial(serial)
                .id(spec.keyId())
                .principals(spec.principals())
                .validAfter(spec.validAfter())
                .validBefore(spec.validBefore());
        if (type == OpenSshCertificate.Type.USER) {
            builder.extensions(List.of(
                    new OpenSshCertificate.CertificateOption("permit-pty"),
                    new OpenSshCertificate.CertificateOption("permit-user-rc")));
        }
        try {
            OpenSshCertificate certificate = builder.sign(keys, "ssh-ed25519");
            return new Signed(PublicKeyEntry.toString(certificate), serial);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign an SSH " + type + " certificate for " + spec.keyId(), e);
        }
    }

    /** The CA's public key as an OpenSSH line, with a comment naming it. */
    public String publicKeyLine() {
        return publicKeyLine;
    }

    /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
        return KeyUtils.getFingerPrint(keys.getPublic());
    }

    /** Parses an OpenSSH public key line ({@code type base64 [comment]}). */
    public static PublicKey parsePublicKey(String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("no SSH public key");
        }
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(line.strip())
                    .resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.FAILING);
            if (key == null || key instanceof OpenSshCertificate) {
                throw new IllegalArgumentException("not a plain SSH public key");
            }
            return key;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException illegal) {
                throw illegal;
            }
            throw new IllegalArgumentException("not an SSH public key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keys, String name, Instant now)
            throws GeneralSecurityException, OperatorCreationException {
        X500Name subject = new X500Name("CN=" + name + ",O=goldentooth");
        var holder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM).setBit(63),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(3650))), subject,
                keys.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
