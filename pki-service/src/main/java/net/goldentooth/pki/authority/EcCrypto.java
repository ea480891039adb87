package net.goldentooth.pki.authority;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one JCA provider the CA signs and verifies with: BouncyCastle's, held here rather than
 * registered, so the JVM's provider order (which MINA sshd may change) never decides it. JDK 17's
 * SunEC does P-256 with generic field arithmetic and no precomputed tables; BouncyCastle's
 * specialised P-256 curve signs and verifies several times faster, and an issuance verifies up to
 * three signatures (the CSR, the presented certificate, the proof) for each one it makes. Keys of
 * either provider are accepted: BouncyCastle reads any {@code java.security.interfaces.EC*Key}.
 * Keys the CA reads itself (from CSRs and presented certificates) are made by BouncyCastle: its
 * verifier keeps the curve generator's and the key's precomputed multiples on the key object, so
 * they are computed once per key object instead of once per verification as for a converted key.
 */
public final class EcCrypto {

    /** The signature every leaf, CSR and proof of ours uses. */
    public static final String SIGNATURE = "SHA256withECDSA";

    private static final Provider PROVIDER = new BouncyCastleProvider();

    public static Provider provider() {
        return PROVIDER;
    }

    /** A fresh {@link Signature} of {@code algorithm} from the provider (not thread-safe: one per use). */
    public static Signature signature(String algorithm) throws GeneralSecurityException {
        return Signature.getInstance(algorithm, PROVIDER);
    }

    /**
     * The signature algorithm of proofs made with {@code key}: SHA-256 with ECDSA for any EC key
     * (BouncyCastle names its EC keys "ECDSA", whose bare signature name would mean SHA-1), else
     * the key's own algorithm (Ed25519).
     */
    public static String signatureFor(PublicKey key) {
        return key instanceof ECPublicKey ? SIGNATURE : key.getAlgorithm();
    }

    /** {@code info} as a BouncyCastle key. */
    public static PublicKey publicKey(SubjectPublicKeyInfo info) throws IOException {
        return new JcaPEMKeyConverter().setProvider(PROVIDER).getPublicKey(info);
    }

    /** A content signer for certificates and CRLs (stateful: one per thread). */
    public static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).setProvider(PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + SIGNATURE + " signer", e);
        }
    }

    private EcCrypto() {
    }
}
