package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One lineage in pki-service's certificate inventory, as {@code GET /certs} serves it.
 *
 * @param secondsLeft  until notAfter at the time of the answer; negative once expired
 * @param lastRenewal  the agent's last report: {@code renewed <time>} or {@code failed: <reason> (attempt n)}
 * @param lastRefusal  the last refused request of the lineage, {@code <reason>: <message>}
 * @param status       {@code valid}, {@code warning}, {@code critical}, {@code emergency},
 *                     {@code expired}, {@code revoked} or {@code refused} (never issued)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertLineageView(
        String lineage,
        String node,
        String service,
        CertKind kind,
        String serial,
        Instant notBefore,
        Instant notAfter,
        Long secondsLeft,
        String lastRenewal,
        String lastRefusal,
        String status) {
}
