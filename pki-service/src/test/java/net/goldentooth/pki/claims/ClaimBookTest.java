package net.goldentooth.pki.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import net.goldentooth.events.cert.PkiClaim;
import org.junit.jupiter.api.Test;

class ClaimBookTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static PkiClaim claim(String key, String request, String instance) {
        return new PkiClaim(key, request, instance, T0);
    }

    @Test
    void theFirstClaimOfAKeyWinsAndOnlyItsInstanceAndRequestWinAgain() {
        ClaimBook book = new ClaimBook(Duration.ofDays(2));
        PkiClaim a = claim("token:t1", "r1", "pki-a");
        PkiClaim b = claim("token:t1", "r2", "pki-b");
        book.record(a, 0, T0);
        book.record(b, 1, T0);
        assertTrue(book.won(a));
        assertFalse(book.won(b), "a later claim of the same token loses");
        assertTrue(book.won(claim("token:t1", "r1", "pki-a")), "the winner claiming again (a retried batch) wins again");
        assertFalse(book.won(claim("token:t1", "r1", "pki-b")), "the same request through another instance loses");
        assertFalse(book.won(claim("token:t1", "r2", "pki-a")), "another request of the winning instance loses");
        assertFalse(book.won(claim("token:t9", "r9", "pki-a")), "a claim not yet read back has not won");
        assertEquals("pki-a", book.winner("token:t1").orElseThrow().instance());
    }

    @Test
    void everyReaderOfTheSameLogReachesTheSameVerdictsWhateverItReReads() {
        PkiClaim[] log = {claim("request:r1", "r1", "pki-b"), claim("token:t1", "r1", "pki-b"),
                claim("request:r1", "r1", "pki-a"), claim("token:t1", "r2", "pki-a")};
        ClaimBook a = new ClaimBook(Duration.ofDays(2));
        ClaimBook b = new ClaimBook(Duration.ofDays(2));
        for (int i = 0; i < log.length; i++) {
            a.record(log[i], i, T0);
        }
        // b reads the first two twice (a consumer repositioned after a failure): nothing changes.
        b.record(log[0], 0, T0);
        b.record(log[1], 1, T0);
        b.record(log[0], 0, T0);
        b.record(log[1], 1, T0);
        b.record(log[2], 2, T0);
        b.record(log[3], 3, T0);
        for (PkiClaim c : log) {
            assertEquals(a.won(c), b.won(c), c.toString());
        }
        assertTrue(a.won(log[0]) && a.won(log[1]) && !a.won(log[2]) && !a.won(log[3]));
        assertEquals(4, b.position());
    }

    @Test
    void claimsOlderThanTheHorizonAreForgotten() {
        ClaimBook book = new ClaimBook(Duration.ofHours(1));
        PkiClaim old = claim("token:t1", "r1", "pki-a");
        book.record(old, 0, T0);
        book.record(claim("token:t2", "r2", "pki-a"), 1, T0.plus(Duration.ofMinutes(59)));
        assertEquals(2, book.size());
        book.record(claim("token:t3", "r3", "pki-a"), 2, T0.plus(Duration.ofMinutes(61)));
        assertEquals(2, book.size());
        assertTrue(book.winner("token:t1").isEmpty());
        assertFalse(book.won(old));
        assertThrows(IllegalArgumentException.class, () -> new ClaimBook(Duration.ZERO));
    }

    @Test
    void waitingForAnOffsetEndsWhenTheFoldPassesItOrTimesOutNamingThePositions() throws Exception {
        ClaimBook book = new ClaimBook(Duration.ofDays(2));
        book.record(claim("token:t1", "r1", "pki-a"), 4, T0);
        book.awaitPosition(5, Duration.ofMillis(10));
        TimeoutException late = assertThrows(TimeoutException.class, () -> book.awaitPosition(7, Duration.ofMillis(50)));
        assertTrue(late.getMessage().contains("offset 5") && late.getMessage().contains("past 6"), late.getMessage());
        Thread feeder = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            book.record(claim("token:t2", "r2", "pki-b"), 6, T0);
        });
        feeder.start();
        book.awaitPosition(7, Duration.ofSeconds(5));
        feeder.join();
        assertEquals(7, book.position());
    }
}
