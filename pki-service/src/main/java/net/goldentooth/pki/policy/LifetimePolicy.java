package net.goldentooth.pki.policy;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.cert.RefusalReason;

/**
 * Lifetimes: a default, a maximum, and NotBefore back-dated a minute so that a node whose clock
 * is slightly behind does not see its fresh certificate as not yet valid.
 */
public record LifetimePolicy(Duration defaultLifetime, Duration maximum) {

    public static final Duration BACKDATE = Duration.ofMinutes(1);
    /**
     * NotBefore back-dating of what an agent checks on its own clock before it can learn bus time:
     * the CA's root and intermediate and the control plane's identities (the broker's and the
     * services', {@code IssueIdentities}). A node whose clock is behind by up to this much still
     * completes the TLS handshake with the broker and pki-service, then judges tasks on bus time
     * (docs/security.md, "Replayed tasks and wrong clocks"); the seed's nodes were 8 days behind.
     * It moves no NotAfter. Nodes' own certificates keep {@link #BACKDATE}: the broker and the
     * services that check them keep NTP.
     */
    public static final Duration TRUSTED_BACKDATE = Duration.ofDays(30);
    /** Below this a certificate would expire before an agent could install it. */
    public static final Duration MINIMUM = Duration.ofMinutes(1);

    public LifetimePolicy {
        if (defaultLifetime.compareTo(maximum) > 0) {
            throw new IllegalArgumentException("default lifetime " + defaultLifetime + " exceeds maximum " + maximum);
        }
    }

    /** NotBefore and NotAfter of a certificate issued at {@code now}. */
    public record Window(Instant notBefore, Instant notAfter) {
    }

    public Window window(Long requestedSeconds, Instant now) {
        Duration lifetime = requestedSeconds == null ? defaultLifetime : Duration.ofSeconds(requestedSeconds);
        if (lifetime.compareTo(MINIMUM) < 0) {
            throw new RefusedException(RefusalReason.BAD_REQUEST,
                    "lifetime " + requestedSeconds + " s is below the minimum of " + MINIMUM.toSeconds() + " s");
        }
        if (lifetime.compareTo(maximum) > 0) {
            throw new RefusedException(RefusalReason.LIFETIME_TOO_LONG, "lifetime " + lifetime.toSeconds()
                    + " s exceeds the maximum of " + maximum.toSeconds() + " s");
        }
        return new Window(now.minus(BACKDATE), now.plus(lifetime));
    }
}
