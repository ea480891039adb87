package net.goldentooth.events.cert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import net.goldentooth.events.EventCodec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A one-time enrolment token: the provisioner's promise that {@code node} may obtain its first
 * certificate of a lineage. The provisioner signs it with its task-signing Ed25519 key; pki-service
 * verifies it with the public half and records {@code tokenId} as used.
 *
 * <p>Wire form: {@code gt1.<base64url(JSON claims)>.<base64url(Ed25519 signature)>}, where the
 * signature covers the UTF-8 bytes of everything before the last dot. The token is opaque to the
 * agent, which only passes it on in {@link CertRequest#token()}.
 */
public record EnrolmentToken(String tokenId, String node, Instant issuedAt, Instant expiresAt, String keyId) {

    private static final String PREFIX = "gt1.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** Signs these claims. */
    public String mint(Ed25519PrivateKeyParameters key) {
        String signed = PREFIX + ENCODER.encodeToString(EventCodec.encode(this));
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] bytes = signed.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return signed + "." + ENCODER.encodeToString(signer.generateSignature());
    }

    /**
     * The claims of {@code token} if its signature verifies with {@code key}; the caller still
     * checks node, expiry and reuse. Anything malformed or badly signed is an
     * {@link IllegalArgumentException} saying which.
     */
    public static EnrolmentToken verify(String token, Ed25519PublicKeyParameters key) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an enrolment token (expected 'gt1.<claims>.<signature>')");
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            throw new IllegalArgumentException("enrolment token has no signature part");
        }
        String signed = token.substring(0, dot);
        byte[] signature;
        byte[] claims;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            claims = Base64.getUrlDecoder().decode(signed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enrolment token is not base64url", e);
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        byte[] bytes = signed.getBytes(StandardCharsets.UTF_8);
        verifier.update(bytes, 0, bytes.length);
        if (!verifier.verifySignature(signature)) {
            throw new IllegalArgumentException("enrolment token signature does not verify with the provisioner's key");
        }
        EnrolmentToken decoded;
        try {
            decoded = EventCodec.decode(claims, EnrolmentToken.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("enrolment token claims are not valid: " + e.getMessage(), e);
        }
        if (decoded.tokenId() == null || decoded.node() == null || decoded.expiresAt() == null) {
            throw new IllegalArgumentException("enrolment token lacks tokenId, node or expiresAt");
        }
        return decoded;
    }
}
