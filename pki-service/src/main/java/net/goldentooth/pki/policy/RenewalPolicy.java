package net.goldentooth.pki.policy;

import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.cert.RefusalReason;

/**
 * When a certificate that proved possession may be renewed. An unexpired certificate always may
 * (unless its lineage is revoked). An expired one may within the grace period, and only if it is
 * the newest certificate of its lineage: the seed's owner stepped away for a few days and every
 * 24-hour certificate lapsed; grace lets the node catch up, and "newest only" stops an old leaked
 * key from resurrecting a lineage that has moved on.
 */
public record RenewalPolicy(Duration grace) {

    /**
     * @param newestSerial the serial of the lineage's newest issued certificate, or null when the
     *                     inventory has none (then an expired certificate cannot be shown newest)
     */
    public void check(String lineage, boolean revoked, String serial, Instant notAfter, String newestSerial,
                      Instant now) {
        if (revoked) {
            throw new RefusedException(RefusalReason.REVOKED, lineage + " is revoked; it is never renewed");
        }
        if (!now.isAfter(notAfter)) {
            return;
        }
        Duration expiredFor = Duration.between(notAfter, now);
        if (expiredFor.compareTo(grace) > 0) {
            throw new RefusedException(RefusalReason.EXPIRED_BEYOND_GRACE, "certificate " + serial + " of " + lineage
                    + " expired " + Durations.human(expiredFor) + " ago; the renewal grace is " + Durations.human(grace)
                    + " - enrol again with a token");
        }
        if (!serial.equals(newestSerial)) {
            throw new RefusedException(RefusalReason.NOT_NEWEST, "certificate " + serial + " of " + lineage
                    + " is expired and not the newest of its lineage (newest: " + newestSerial + ")");
        }
    }
}
