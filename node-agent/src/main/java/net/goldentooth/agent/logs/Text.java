package net.goldentooth.agent.logs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Bytes of a log line to text: valid UTF-8 as it is, invalid bytes replaced by U+FFFD and reported. Pure. */
final class Text {

    /** The decoded text and whether any byte had to be replaced. */
    record Decoded(String text, boolean invalid) {
    }

    static Decoded utf8(byte[] bytes, int offset, int length) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = strict.decode(ByteBuffer.wrap(bytes, offset, length));
            return new Decoded(chars.toString(), false);
        } catch (CharacterCodingException e) {
            return new Decoded(new String(bytes, offset, length, StandardCharsets.UTF_8), true);
        }
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding fits {@code maxBytes}, never splitting a
     * character; {@code text} itself when it fits.
     */
    static String cut(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return text;
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return bytes;
    }

    private Text() {
    }
}
