package net.goldentooth.events.cert;

import java.time.Instant;

/**
 * A lineage's certificate reached an expiry tier, on {@code cert.expiring} (key: lineage).
 * Published once per lineage per tier change, with the highest tier reached only, so one
 * certificate never raises three overlapping alerts.
 */
public record CertExpiring(
        String node,
        String lineage,
        String service,
        Instant notAfter,
        ExpiryTier tier,
        LifetimeKind lifetimeKind,
        Instant at) {
}
