package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The CA as {@code GET /ca} and {@code POST /ca/init} serve it. Only public facts: subjects,
 * validity and fingerprints, never key material.
 *
 * @param sshHostCaFingerprint {@code SHA256:...} as {@code ssh-keygen -l} prints it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaStatus(
        boolean initialised,
        String rootSubject,
        Instant rootNotAfter,
        String intermediateSubject,
        Instant intermediateNotAfter,
        String sshHostCaFingerprint,
        String sshUserCaFingerprint,
        int lineages,
        int revokedLineages,
        long trustRevision) {
}
