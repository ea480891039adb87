package net.goldentooth.pki.authority;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
