package net.goldentooth.agent.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;

/**
 * One line of {@code journalctl --output=json} to a {@link ParsedLine}. Pure.
 *
 * <p>journalctl writes a field as a string when it is valid UTF-8 without control characters
 * (a tab or newline excepted), as an array of byte values otherwise (binary), as an array of those
 * when the entry has the field several times, and as null when it was too large to show (which
 * {@code --all} prevents). Binary messages are decoded as UTF-8 with replacement and marked.
 */
final class JournalJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A journal line as the shipper needs it: the fields of the entry plus what was done to the text. */
    record ParsedLine(String cursor, String unit, String identifier, int priority, String message, Instant time,
                      Long monotonicUs, String bootId, Integer pid, boolean binary, boolean invalidUtf8) {
    }

    /** Thrown for a line that is not a journal entry as JSON; the reader counts it and goes on. */
    static final class NotAnEntry extends Exception {
        NotAnEntry(String message) {
            super(message);
        }
    }

    static ParsedLine parse(byte[] line, int length) throws NotAnEntry {
        JsonNode entry;
        try {
            entry = MAPPER.readTree(line, 0, length);
        } catch (JsonProcessingException e) {
            throw new NotAnEntry("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NotAnEntry("unreadable: " + e.getMessage());
        }
        if (entry == null || !entry.isObject()) {
            throw new NotAnEntry("not a JSON object");
        }
        String cursor = text(entry.get("__CURSOR"));
        if (cursor == null) {
            throw new NotAnEntry("no __CURSOR");
        }
        Field message = field(entry.get("MESSAGE"));
        String unit = text(entry.get("_SYSTEMD_UNIT"));
        if (unit == null) {
            unit = text(entry.get("_SYSTEMD_USER_UNIT"));
        }
        return new ParsedLine(cursor,
                unit == null ? null : LineFilter.unitName(unit),
                text(entry.get("SYSLOG_IDENTIFIER")),
                priority(text(entry.get("PRIORITY"))),
                message.text() == null ? "" : message.text(),
                micros(text(entry.get("__REALTIME_TIMESTAMP"))),
                number(text(entry.get("__MONOTONIC_TIMESTAMP"))),
                text(entry.get("_BOOT_ID")),
                pid(text(entry.get("_PID"))),
                message.binary(), message.invalid());
    }

    private record Field(String text, boolean binary, boolean invalid) {
    }

    /** A field's value: the first of several, bytes decoded. */
    private static Field field(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Field(null, false, false);
        }
        if (node.isTextual()) {
            return new Field(node.textValue(), false, false);
        }
        if (node.isArray() && !node.isEmpty() && (node.get(0).isArray() || node.get(0).isTextual())) {
            return field(node.get(0));
        }
        if (node.isArray()) {
            byte[] bytes = new byte[node.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) node.get(i).asInt();
            }
            Text.Decoded decoded = Text.utf8(bytes, 0, bytes.length);
            return new Field(decoded.text(), true, decoded.invalid());
        }
        return new Field(node.asText(), false, false);
    }

    private static String text(JsonNode node) {
        return field(node).text();
    }

    /** Syslog priority; an entry without one (or with nonsense) is info, as journalctl shows it. */
    static int priority(String value) {
        if (value != null && value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '7') {
            return value.charAt(0) - '0';
        }
        return 6;
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer pid(String value) {
        Long n = number(value);
        return n == null || n <= 0 || n > Integer.MAX_VALUE ? null : n.intValue();
    }

    private static Instant micros(String value) {
        Long us = number(value);
        return us == null ? null : Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000);
    }

    private JournalJson() {
    }
}
