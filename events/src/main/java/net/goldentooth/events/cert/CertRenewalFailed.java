package net.goldentooth.events.cert;

import java.time.Instant;

/**
 * An agent's attempt to renew a lineage failed, on {@code cert.renewal-failed} (key: lineage).
 *
 * @param reason  why, e.g. a {@link RefusalReason} wire name or {@code reload-failed}
 * @param attempt consecutive failed attempts so far, starting at 1
 */
public record CertRenewalFailed(String node, String lineage, String reason, int attempt, Instant at) {
}
