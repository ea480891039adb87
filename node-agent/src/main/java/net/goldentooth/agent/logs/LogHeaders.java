package net.goldentooth.agent.logs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.Topics;

/**
 * The CloudEvents headers of a {@code node.logs} record, the same as
 * {@link CloudEventHeaders#forEvent} writes, made for thousands of lines a second: the constant
 * headers are encoded once, the event id is a random (version 4) UUID drawn from a non-blocking
 * generator rather than {@link UUID#randomUUID()}'s SecureRandom (an id must be unique, not
 * unpredictable: handlers dedupe by it), and the time is formatted once per millisecond.
 */
final class LogHeaders {

    private static final byte[] SPEC_VERSION = bytes("1.0");
    private static final byte[] TYPE = bytes(CloudEventHeaders.typeOf(Topics.NODE_LOGS));
    private static final byte[] CONTENT_TYPE = bytes("application/json");

    private final byte[] source;
    private final Clock clock;
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, null);

    private record Stamp(long millis, byte[] text) {
    }

    LogHeaders(String source, Clock clock) {
        this.source = bytes(source);
        this.clock = clock;
    }

    /** A new record's headers (a new map each time: the caller's producer copies it). */
    Map<String, byte[]> next() {
        Map<String, byte[]> headers = new LinkedHashMap<>(8);
        headers.put(CloudEventHeaders.SPEC_VERSION, SPEC_VERSION);
        headers.put(CloudEventHeaders.ID, bytes(randomId().toString()));
        headers.put(CloudEventHeaders.TYPE, TYPE);
        headers.put(CloudEventHeaders.SOURCE, source);
        headers.put(CloudEventHeaders.TIME, time());
        headers.put(CloudEventHeaders.CONTENT_TYPE, CONTENT_TYPE);
        return headers;
    }

    private byte[] time() {
        Instant now = clock.instant();
        long millis = now.toEpochMilli();
        Stamp stamp = last;
        if (stamp.millis() != millis) {
            stamp = new Stamp(millis, bytes(Instant.ofEpochMilli(millis).toString()));
            last = stamp;
        }
        return stamp.text();
    }

    /** A version 4 (random) UUID, as {@link UUID#randomUUID()} makes, from ThreadLocalRandom. */
    static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
