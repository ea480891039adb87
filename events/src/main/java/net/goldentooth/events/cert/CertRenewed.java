package net.goldentooth.events.cert;

import java.time.Instant;

/**
 * An agent installed a renewed certificate of a lineage (written, reloaded and, where an endpoint
 * is configured, probed), on {@code cert.renewed} (key: lineage).
 *
 * @param serial the installed certificate's serial, lower-case hex
 */
public record CertRenewed(String node, String lineage, String serial, Instant notAfter, Instant at) {
}
