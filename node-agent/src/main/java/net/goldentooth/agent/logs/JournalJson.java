package net.goldentooth.agent.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * One line of {@code journalctl --output=json} to a {@link ParsedLine}. Pure.
 *
 * <p>journalctl writes a field as a string when it is valid UTF-8 without control characters
 * (a tab or newline excepted), as an array of byte values otherwise (binary), as an array of those
 * when the entry has the field several times, and as null when it was too large to show (which
 * {@code --all} prevents). Binary messages are decoded as UTF-8 with replacement and marked.
 */
final class JournalJson {

    private static final JsonFactory FACTORY = new JsonFactory();

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
        // A streaming read of the fields kept: no tree per line, the other fields skipped unread.
        String cursor = null;
        Field message = null;
        String unit = null;
        String userUnit = null;
        String identifier = null;
        String priority = null;
        String realtime = null;
        String monotonic = null;
        String bootId = null;
        String pid = null;
        try (JsonParser p = FACTORY.createParser(line, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotAnEntry("not a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "__CURSOR" -> cursor = field(p).text();
                    case "MESSAGE" -> message = field(p);
                    case "_SYSTEMD_UNIT" -> unit = field(p).text();
                    case "_SYSTEMD_USER_UNIT" -> userUnit = field(p).text();
                    case "SYSLOG_IDENTIFIER" -> identifier = field(p).text();
                    case "PRIORITY" -> priority = field(p).text();
                    case "__REALTIME_TIMESTAMP" -> realtime = field(p).text();
                    case "__MONOTONIC_TIMESTAMP" -> monotonic = field(p).text();
                    case "_BOOT_ID" -> bootId = field(p).text();
                    case "_PID" -> pid = field(p).text();
                    default -> p.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new NotAnEntry("not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new NotAnEntry("more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            throw new NotAnEntry("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NotAnEntry("unreadable: " + e.getMessage());
        }
        if (cursor == null) {
            throw new NotAnEntry("no __CURSOR");
        }
        if (unit == null) {
            unit = userUnit;
        }
        if (message == null) {
            message = Field.NONE;
        }
        return new ParsedLine(cursor,
                unit == null ? null : LineFilter.unitName(unit),
                identifier,
                priority(priority),
                message.text() == null ? "" : message.text(),
                micros(realtime),
                number(monotonic),
                bootId,
                pid(pid),
                message.binary(), message.invalid());
    }

    private record Field(String text, boolean binary, boolean invalid) {
        static final Field NONE = new Field(null, false, false);
    }

    /**
     * The value the parser is on (its first token read): a string; null; bytes (binary); or, for a
     * field the entry has several times, the first of the array's values. The parser is left on the
     * value's last token.
     */
    private static Field field(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return new Field(p.getText(), false, false);
        }
        if (token == JsonToken.VALUE_NULL) {
            return Field.NONE;
        }
        if (token == JsonToken.START_ARRAY) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.END_ARRAY) {
                return new Field("", true, false);
            }
            if (first == JsonToken.VALUE_NUMBER_INT) {
                byte[] bytes = new byte[64];
                int n = 0;
                for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        throw new JsonParseException(p, "a byte array with " + t + " in it");
                    }
                    if (n == bytes.length) {
                        bytes = Arrays.copyOf(bytes, n * 2);
                    }
                    bytes[n++] = (byte) p.getIntValue();
                }
                Text.Decoded decoded = Text.utf8(bytes, 0, n);
                return new Field(decoded.text(), true, decoded.invalid());
            }
            // Several values: the first, then the rest of the array skipped.
            Field value = field(p);
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
            }
            return value;
        }
        if (token == JsonToken.START_OBJECT) {
            p.skipChildren();
            return Field.NONE;
        }
        return new Field(p.getText(), false, false);
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
