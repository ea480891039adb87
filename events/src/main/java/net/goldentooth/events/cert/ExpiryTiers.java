package net.goldentooth.events.cert;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The expiry tiers of DESIGN.md, as one function returning only the highest tier reached.
 * Long-lived certificates (lifetime over 7 days): warning at 30 days left, critical at 7, emergency
 * at 2. Short-lived ones: warning when less than a third of the lifetime remains, critical under
 * 10 %; they have no emergency tier, because at 10 % of 24 hours the agent has already retried for
 * hours. An expired certificate is at the highest tier of its kind.
 *
 * <p>In {@code events} because three places judge a certificate by it and must agree: pki-service
 * (its {@code cert.expiring} events and {@code GET /certs}' status, which the CLI prints) and the
 * monitor's dashboard.
 */
public final class ExpiryTiers {

    public static final Duration LONG_LIVED = Duration.ofDays(7);

    public static LifetimeKind kind(Instant notBefore, Instant notAfter) {
        return Duration.between(notBefore, notAfter).compareTo(LONG_LIVED) > 0 ? LifetimeKind.LONG : LifetimeKind.SHORT;
    }

    public static Optional<ExpiryTier> tier(Instant notBefore, Instant notAfter, Instant now) {
        Duration left = Duration.between(now, notAfter);
        if (kind(notBefore, notAfter) == LifetimeKind.LONG) {
            if (left.compareTo(Duration.ofDays(2)) < 0) {
                return Optional.of(ExpiryTier.EMERGENCY);
            }
            if (left.compareTo(Duration.ofDays(7)) < 0) {
                return Optional.of(ExpiryTier.CRITICAL);
            }
            if (left.compareTo(Duration.ofDays(30)) < 0) {
                return Optional.of(ExpiryTier.WARNING);
            }
            return Optional.empty();
        }
        long lifetimeMillis = Duration.between(notBefore, notAfter).toMillis();
        long leftMillis = left.toMillis();
        if (leftMillis * 10 < lifetimeMillis) {
            return Optional.of(ExpiryTier.CRITICAL);
        }
        if (leftMillis * 3 < lifetimeMillis) {
            return Optional.of(ExpiryTier.WARNING);
        }
        return Optional.empty();
    }

    /**
     * The status word of {@code GET /certs} for an issued, unrevoked certificate: {@code expired}
     * from its notAfter on, else the tier reached ({@code warning}, {@code critical},
     * {@code emergency}) or {@code valid}.
     */
    public static String status(Instant notBefore, Instant notAfter, Instant now) {
        if (!now.isBefore(notAfter)) {
            return "expired";
        }
        return tier(notBefore, notAfter, now).map(ExpiryTier::wire).orElse("valid");
    }

    private ExpiryTiers() {
    }
}
