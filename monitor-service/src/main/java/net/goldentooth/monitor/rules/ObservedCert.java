package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * A certificate lineage as rules see it, folded from the certificate events.
 *
 * @param notBefore      of the newest certificate, when known (from {@code cert.issued})
 * @param notAfter       of the newest certificate
 * @param tier           the newest {@code cert.expiring} tier for that certificate (wire name), or null
 * @param failingSince   the first renewal failure since the last successful renewal, or null
 * @param failureReason  the newest failure's reason
 */
public record ObservedCert(String lineage, String node, String service, Instant notBefore, Instant notAfter,
                           String tier, Instant failingSince, String failureReason) {

    public Duration lifetime() {
        return notBefore == null || notAfter == null ? null : Duration.between(notBefore, notAfter);
    }
}
