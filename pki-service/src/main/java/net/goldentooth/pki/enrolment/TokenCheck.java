package net.goldentooth.pki.enrolment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.policy.RefusedException;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Checks enrolment tokens against the provisioner's public key and the used-token ledger. The key
 * file is read when first needed and then kept, so pki-service may start before the provisioner
 * has written it; until then every token is refused as {@code token-invalid} saying so.
 */
public final class TokenCheck {

    /** Tolerance for a token minted by a provisioner whose clock is slightly ahead. */
    private static final Duration ISSUED_SKEW = Duration.ofMinutes(5);

    private final Path publicKeyFile;
    private final LineLedger used;
    private volatile Ed25519PublicKeyParameters publicKey;

    public TokenCheck(Path publicKeyFile, LineLedger used) {
        this.publicKeyFile = publicKeyFile;
        this.used = used;
    }

    /** The verified claims of a token for {@code node}, valid at {@code now}, not yet used. */
    public EnrolmentToken verify(String token, String node, Instant now) {
        if (token == null || token.isBlank()) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID, "enrolment needs a token from the provisioner");
        }
        EnrolmentToken claims;
        try {
            claims = EnrolmentToken.verify(token, key());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID, e.getMessage());
        }
        if (!claims.node().equals(node)) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID,
                    "the token was minted for " + claims.node() + ", not " + node);
        }
        if (!now.isBefore(claims.expiresAt())) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID, "the token expired at " + claims.expiresAt());
        }
        if (claims.issuedAt() != null && claims.issuedAt().isAfter(now.plus(ISSUED_SKEW))) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID, "the token is issued in the future ("
                    + claims.issuedAt() + ")");
        }
        if (used.contains(claims.tokenId())) {
            throw new RefusedException(RefusalReason.TOKEN_REUSED, "token " + claims.tokenId() + " was already used");
        }
        return claims;
    }

    /**
     * Marks the token used, at once in memory (a second use is refused from now on); call right
     * before issuing. It is durable only after {@link #persistSpent()}, which must run before the
     * certificate it paid for is published.
     */
    public void consume(EnrolmentToken claims) {
        if (!used.reserve(claims.tokenId())) {
            throw new RefusedException(RefusalReason.TOKEN_REUSED, "token " + claims.tokenId() + " was already used");
        }
    }

    /**
     * The id of a token this check already accepted (its signature is verified again, which is
     * cheap): the key under which instances agree that it is spent.
     */
    public String tokenIdOf(String token) {
        try {
            return EnrolmentToken.verify(token, key()).tokenId();
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.TOKEN_INVALID, e.getMessage());
        }
    }

    /** Records every token consumed since the last call with one fsync; throws when that fails. */
    public void persistSpent() {
        used.persistReserved();
    }

    /** Forgets consumptions not yet persisted (their certificates are never published). */
    public void abandonUnpersisted() {
        used.abandonReserved();
    }

    /** The provisioner's public key as PEM, or null while the file does not exist. */
    public String publicKeyPem() {
        try {
            return SigningKeys.publicKeyPem(key());
        } catch (RefusedException e) {
            return null;
        }
    }

    private Ed25519PublicKeyParameters key() {
        Ed25519PublicKeyParameters key = publicKey;
        if (key == null) {
            if (!Files.exists(publicKeyFile)) {
                throw new RefusedException(RefusalReason.TOKEN_INVALID, "pki-service has no token-signing public key yet ("
                        + publicKeyFile + " does not exist)");
            }
            try {
                key = SigningKeys.readPublicKey(publicKeyFile);
            } catch (IOException e) {
                throw new RefusedException(RefusalReason.TOKEN_INVALID, "the token-signing public key "
                        + publicKeyFile + " cannot be read: " + e.getMessage());
            }
            publicKey = key;
        }
        return key;
    }
}
