package net.goldentooth.events.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import net.goldentooth.events.signing.SigningKeys;
import org.junit.jupiter.api.Test;

class EnrolmentTokenTest {

    private final SigningKeys.KeyPair keys = SigningKeys.generate();
    private final EnrolmentToken claims = new EnrolmentToken("t-1", "bettley",
            Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"), keys.keyId());

    @Test
    void mintedTokenVerifiesToItsClaims() {
        String token = claims.mint(keys.privateKey());
        assertTrue(token.startsWith("gt1."), token);
        assertEquals(claims, EnrolmentToken.verify(token, keys.publicKey()));
    }

    @Test
    void anotherKeyOrAnAlteredClaimDoesNotVerify() {
        String token = claims.mint(keys.privateKey());
        assertThrows(IllegalArgumentException.class, () -> EnrolmentToken.verify(token, SigningKeys.generate().publicKey()));
        String forged = new EnrolmentToken("t-1", "fenn", claims.issuedAt(), claims.expiresAt(), claims.keyId())
                .mint(keys.privateKey());
        String spliced = forged.substring(0, forged.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnrolmentToken.verify(spliced, keys.publicKey()));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnrolmentToken.verify("garbage", keys.publicKey()));
        assertThrows(IllegalArgumentException.class, () -> EnrolmentToken.verify("gt1.!!!.@@@", keys.publicKey()));
    }
}
