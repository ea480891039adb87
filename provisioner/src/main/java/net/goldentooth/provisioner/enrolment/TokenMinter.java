package net.goldentooth.provisioner.enrolment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;

/**
 * Mints one-time enrolment tokens for pki-service: bound to a node, expiring, with a random id
 * that pki records as used. Signed with the task-signing key, whose public half pki-service and
 * every agent already trust.
 */
public final class TokenMinter {

    private final SigningKeys.KeyPair keys;
    private final Clock clock;
    private final Duration lifetime;

    public TokenMinter(SigningKeys.KeyPair keys, Clock clock, Duration lifetime) {
        this.keys = keys;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public EnrolmentToken claimsFor(String node) {
        Instant now = clock.instant();
        return new EnrolmentToken(UUID.randomUUID().toString(), node, now, now.plus(lifetime), keys.keyId());
    }

    public String mint(EnrolmentToken claims) {
        return claims.mint(keys.privateKey());
    }
}
