package net.goldentooth.monitor.dashboard;

import java.time.Instant;
import java.util.List;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.SilenceView;
import net.goldentooth.events.cert.ExpiryTiers;

/** Everything the dashboard draws, sent whole over SSE so a client never has to merge. */
public record Snapshot(Instant at, List<NodeTile> nodes, List<AlertState> alerts, List<CertRow> certificates,
                       List<JobRow> jobs, List<SilenceView> silences) {

    /**
     * @param notAfter  expiry of the lineage's newest certificate
     * @param tier      the newest tier pki-service announced on {@code cert.expiring}, or null
     * @param notBefore of the newest certificate, when known
     * @param status    what the dashboard colours by: {@code valid}, {@code warning}, {@code critical},
     *                  {@code emergency}, {@code expired} by {@code events}' {@code ExpiryTiers} (the rule
     *                  pki-service and so the CLI use), or {@code unknown} without a notAfter
     */
    public record CertRow(String lineage, String node, String service, Instant notAfter, String tier,
                          boolean renewalFailing, Instant notBefore, String status) {

        /**
         * The status at {@code now}. Without a notBefore (a lineage known only from {@code cert.expiring},
         * whose lifetime is unknown) pki-service's announced tier is the best there is.
         */
        public static String status(Instant notBefore, Instant notAfter, String announcedTier, Instant now) {
            if (notAfter == null) {
                return "unknown";
            }
            if (!now.isBefore(notAfter)) {
                return "expired";
            }
            if (notBefore != null && notBefore.isBefore(notAfter)) {
                return ExpiryTiers.status(notBefore, notAfter, now);
            }
            return announcedTier == null ? "unknown" : announcedTier;
        }
    }

    public record JobRow(String jobId, String kind, String pattern, String state, Instant updatedAt,
                         int targets, int succeeded) {
    }
}
