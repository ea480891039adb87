package net.goldentooth.provisioner.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class TokenMinterTest {

    @Test
    void tokensAreBoundToTheNodeExpireAndHaveFreshIds() {
        SigningKeys.KeyPair keys = SigningKeys.generate();
        MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
        TokenMinter minter = new TokenMinter(keys, clock, Duration.ofHours(1));
        EnrolmentToken first = minter.claimsFor("bettley");
        EnrolmentToken verified = EnrolmentToken.verify(minter.mint(first), keys.publicKey());
        assertEquals("bettley", verified.node());
        assertEquals(Instant.parse("2026-11-25T11:00:00Z"), verified.expiresAt());
        assertEquals(keys.keyId(), verified.keyId());
        assertNotEquals(first.tokenId(), minter.claimsFor("bettley").tokenId());
        assertThrows(IllegalArgumentException.class,
                () -> EnrolmentToken.verify(minter.mint(first), SigningKeys.generate().publicKey()));
    }
}
