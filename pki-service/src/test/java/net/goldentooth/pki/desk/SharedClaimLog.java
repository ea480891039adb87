package net.goldentooth.pki.desk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.cert.PkiClaim;
import net.goldentooth.pki.claims.ClaimBook;

/**
 * {@code pki.claims} without a broker, for tests of several desks: one ordered log (a counter for
 * the offset) folded into one {@link ClaimBook}, exactly as every instance's follower folds the
 * single partition. It can play a broker that is away, or one that appends a claim but loses the
 * acknowledgement.
 */
final class SharedClaimLog {

    enum Fault { NONE, AWAY, ACK_LOST }

    final ClaimBook book = new ClaimBook(Duration.ofDays(2));
    private final Clock clock;
    private long next;
    volatile Fault fault = Fault.NONE;

    SharedClaimLog(Clock clock) {
        this.clock = clock;
    }

    /** The arbiter of one instance. */
    ClaimArbiter as(String instance) {
        return claims -> append(instance, claims);
    }

    private synchronized Set<String> append(String instance, List<ClaimArbiter.Claim> claims) {
        if (fault == Fault.AWAY) {
            throw new IllegalStateException("pki.claims not settled: broker away");
        }
        Instant at = clock.instant();
        List<PkiClaim> mine = claims.stream().map(c -> new PkiClaim(c.key(), c.requestId(), instance, at)).toList();
        mine.forEach(claim -> book.record(claim, next++, at));
        if (fault == Fault.ACK_LOST) {
            throw new IllegalStateException("pki.claims not settled: no acknowledgement");
        }
        Set<String> lost = new LinkedHashSet<>();
        mine.stream().filter(c -> !book.won(c)).forEach(c -> lost.add(c.key()));
        return lost;
    }
}
