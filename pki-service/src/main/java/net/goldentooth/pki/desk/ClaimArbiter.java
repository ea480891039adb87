package net.goldentooth.pki.desk;

import java.util.List;
import java.util.Set;

/**
 * How pki-service instances agree before a certificate leaves: each claim (an enrolment token to
 * spend, a request to answer with a certificate) is appended to a log shared by every instance,
 * and the first claim of a key in that log wins. See docs/architecture.md, "pki-service".
 */
public interface ClaimArbiter {

    /** A claim on {@code key} ({@code token:<id>} or {@code request:<id>}) made for {@code requestId}. */
    record Claim(String key, String requestId) {

        public static Claim token(String tokenId, String requestId) {
            return new Claim("token:" + tokenId, requestId);
        }

        public static Claim request(String requestId) {
            return new Claim("request:" + requestId, requestId);
        }
    }

    /**
     * Appends every claim, waits until the shared log's verdict on each is known, and returns the
     * keys this instance lost (another instance, or an earlier life of this one, claimed first).
     * A claim this instance already won for the same request is won again.
     *
     * @throws IllegalStateException when the log cannot be written or read back in time: then
     *                               nothing may be published on these claims
     */
    Set<String> lost(List<Claim> claims);
}
