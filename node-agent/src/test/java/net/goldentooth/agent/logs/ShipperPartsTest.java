package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.api.Test;

/** The pure parts of the shipper: acknowledgement order, filter, rate, text, and the in-flight bound. */
class ShipperPartsTest {

    @Test
    void thePositionMovesOnlyOverAContiguousAcknowledgedPrefix() {
        AckOrder<String> acks = new AckOrder<>("start");
        long a = acks.add("a");
        long b = acks.add("b");
        long c = acks.add("c");
        acks.done(b);
        assertEquals("start", acks.committed(), "b is acknowledged but a is not");
        assertNull(acks.takeChanged());
        acks.done(a);
        assertEquals("b", acks.committed());
        assertEquals("b", acks.takeChanged());
        assertNull(acks.takeChanged());
        acks.done(c);
        assertEquals("c", acks.committed());
        assertEquals(0, acks.waiting());
    }

    @Test
    void theFilterTakesUnitsWithOrWithoutServiceAndPrioritiesUpToTheBound() {
        LineFilter filter = LineFilter.of(List.of("ssh.service", "kubelet"), 4);
        assertTrue(filter.accepts("ssh", 3));
        assertTrue(filter.accepts("kubelet.service", 4));
        assertFalse(filter.accepts("kubelet", 6), "info is less important than warning");
        assertFalse(filter.accepts("containerd", 0));
        assertFalse(filter.accepts(null, 0));
        assertTrue(LineFilter.of(List.of(), 7).accepts(null, 7));
    }

    @Test
    void theRateAllowsTheBurstThenItsRate() {
        RateLimit rate = new RateLimit(10, 5, 0);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += rate.tryTake(0) ? 1 : 0;
        }
        assertEquals(5, allowed);
        assertFalse(rate.tryTake(50_000_000L), "half a token after 50 ms");
        assertTrue(rate.tryTake(100_000_000L), "one token after 100 ms");
        assertFalse(rate.tryTake(100_000_000L));
    }

    @Test
    void textIsCutOnCharacterBoundariesAndInvalidBytesReported() {
        assertEquals("aé", Text.cut("aéü", 3 + 1 - 1));
        assertEquals("aéü", Text.cut("aéü", 5));
        assertEquals(5, Text.utf8Length("aéü"));
        byte[] bad = {'x', (byte) 0xc3, '(', 'y'};
        Text.Decoded decoded = Text.utf8(bad, 0, bad.length);
        assertTrue(decoded.invalid());
        assertEquals("x\uFFFD(y", decoded.text());
        assertFalse(Text.utf8("ok".getBytes(StandardCharsets.UTF_8), 0, 2).invalid());
    }

    @Test
    void theShipperStopsReadingAtTheInFlightBoundAndGoesOnWhenAcknowledged() throws Exception {
        List<CompletableFuture<Object>> sends = new ArrayList<>();
        LogMetrics metrics = new LogMetrics(null);
        LogShipper shipper = new LogShipper((node, value) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            synchronized (sends) {
                sends.add(f);
            }
            return f;
        }, LineFilter.of(Set.of(), 7), new RateLimit(1_000_000, 1_000_000, 0), 1000, metrics, () -> 0);
        AtomicLong done = new AtomicLong();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    if (i == 10) {
                        blocked.countDown();
                    }
                    shipper.ship(line("x".repeat(100)), done::incrementAndGet);
                }
                finished.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        blocked.await(5, TimeUnit.SECONDS);
        assertFalse(finished.await(300, TimeUnit.MILLISECONDS), "the reader must wait while ~1000 bytes are in flight");
        assertTrue(shipper.inFlightBytes() <= 1000, "in flight: " + shipper.inFlightBytes());
        int sent;
        synchronized (sends) {
            sent = sends.size();
        }
        assertTrue(sent < 20, "sent " + sent);
        for (int i = 0; i < 40 && finished.getCount() > 0; i++) {
            synchronized (sends) {
                sends.forEach(f -> f.complete(null));
            }
            finished.await(50, TimeUnit.MILLISECONDS);
        }
        synchronized (sends) {
            sends.forEach(f -> f.complete(null));
        }
        assertTrue(finished.await(5, TimeUnit.SECONDS));
        reader.join();
        assertEquals(20, done.get());
        assertEquals(20, metrics.lines("shipped"));
    }

    @Test
    void filteredAndRateLimitedLinesAreDoneAndCounted() throws Exception {
        LogMetrics metrics = new LogMetrics(null);
        List<byte[]> sent = new ArrayList<>();
        LogShipper shipper = new LogShipper((node, value) -> {
            sent.add(value);
            return CompletableFuture.completedFuture(null);
        }, LineFilter.of(Set.of(), 4), new RateLimit(1, 2, 0), 1 << 20, metrics, () -> 0);
        AtomicLong done = new AtomicLong();
        shipper.ship(line("debug", 7), done::incrementAndGet);
        for (int i = 0; i < 4; i++) {
            shipper.ship(line("err " + i, 3), done::incrementAndGet);
        }
        assertEquals(5, done.get());
        assertEquals(1, metrics.lines("filtered"));
        assertEquals(2, metrics.lines("rate-limited"));
        assertEquals(2, metrics.lines("shipped"));
        assertEquals(2, sent.size());
    }

    private static LogEntry line(String message) {
        return line(message, 6);
    }

    private static LogEntry line(String message, int priority) {
        return new LogEntry("n1", "journal", "u", "u", priority, message, Instant.EPOCH, null, null, null, "c", null, null);
    }
}
