package net.goldentooth.events.cert;

import java.time.Instant;

/**
 * One pki-service instance's claim, on {@code pki.claims} (one partition, key: {@link #key()}),
 * to spend an enrolment token ({@code token:<tokenId>}) or to answer a certificate request with a
 * certificate ({@code request:<requestId>}). The log orders every claim; the first claim of a key
 * wins, and every instance reading the log reaches the same verdict, so two instances never spend
 * one token twice nor issue two certificates for one request.
 *
 * @param key       {@code token:<tokenId>} or {@code request:<requestId>}
 * @param requestId the request the claim is made for
 * @param instance  the claiming process's id, random at each start
 * @param at        when the claim was made, on the claimant's clock (informational)
 */
public record PkiClaim(String key, String requestId, String instance, Instant at) {
}
