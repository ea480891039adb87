package net.goldentooth.monitor.logs;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A test on a record's raw JSON bytes that rules out most lines of a {@code --grep} without decoding
 * them: when the expression is a plain word or phrase (no regular-expression syntax), a line can
 * only match if its record's bytes contain that text. Pure.
 *
 * <p>It only ever says "cannot match" when that is certain, so a query answers the same with it as
 * without: the bytes of a JSON string hold its ASCII text unchanged unless it is escaped; so a
 * record with a backslash (any escape) or a byte above 0x7f (where Unicode case folding could make
 * a non-ASCII letter match, e.g. the Kelvin sign a {@code k}) is always decoded, and the literal
 * itself must be printable ASCII without a quote or backslash. Case-insensitive expressions (the
 * smart case of {@link LogQuery}) compare ASCII letters case-insensitively.
 */
final class GrepPrefilter {

    private static final String REGEX_SYNTAX = "\\^$.|?*+()[]{}";

    private final byte[] literal;
    private final boolean ignoreCase;

    private GrepPrefilter(byte[] literal, boolean ignoreCase) {
        this.literal = literal;
        this.ignoreCase = ignoreCase;
    }

    /** The prefilter for {@code grep}, or null when there is none (no grep, or an expression that is not plain text). */
    static GrepPrefilter of(Pattern grep) {
        if (grep == null) {
            return null;
        }
        String text = grep.pattern();
        if (text.isEmpty() || (grep.flags() & ~(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)) != 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || REGEX_SYNTAX.indexOf(c) >= 0) {
                return null;
            }
        }
        boolean ignoreCase = (grep.flags() & Pattern.CASE_INSENSITIVE) != 0;
        byte[] literal = text.getBytes(StandardCharsets.US_ASCII);
        if (ignoreCase) {
            for (int i = 0; i < literal.length; i++) {
                literal[i] = lower(literal[i]);
            }
        }
        return new GrepPrefilter(literal, ignoreCase);
    }

    /** False only when a record with these bytes certainly cannot match the expression. */
    boolean mayMatch(byte[] record) {
        if (record == null) {
            return true;
        }
        int last = record.length - literal.length;
        byte first = literal[0];
        for (int i = 0; i < record.length; i++) {
            byte b = record[i];
            if (b < 0 || b == '\\') {
                return true;
            }
            if (i <= last && (ignoreCase ? lower(b) : b) == first && at(record, i)) {
                return true;
            }
        }
        return false;
    }

    private boolean at(byte[] record, int from) {
        for (int j = 1; j < literal.length; j++) {
            byte b = record[from + j];
            if ((ignoreCase ? lower(b) : b) != literal[j]) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
}
