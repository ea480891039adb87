package net.goldentooth.provisioner.ansible;

import java.nio.charset.StandardCharsets;

/**
 * Decides which part of a long output goes into the job history, which keeps at most
 * {@code max-output-bytes} per target. The head streams live until the budget less a tail reserve
 * is spent; after that only a rolling tail is held back and written at the end, behind a note
 * saying how much was left out and where the full output is. A failing playbook's last tasks and
 * its {@code PLAY RECAP} are at the end, so the history keeps them whatever the length. Pure.
 */
final class OutputBudget {

    /** Room kept for the omission note. */
    static final int NOTE_BYTES = 256;

    private final int headLimit;
    private final int tailLimit;
    private long headUsed;
    private final StringBuilder tail = new StringBuilder();
    private long omitted;

    /**
     * @param maxBytes  the job history's cap for this target
     * @param tailBytes how much of the end to keep when the output is longer than the cap
     */
    OutputBudget(int maxBytes, int tailBytes) {
        int tailRoom = Math.min(tailBytes, Math.max(0, (maxBytes - NOTE_BYTES) / 4));
        this.tailLimit = tailRoom;
        this.headLimit = Math.max(0, maxBytes - NOTE_BYTES - tailRoom);
    }

    /** Takes a chunk of output and returns the part to stream now (possibly empty). */
    String accept(String chunk) {
        if (!tail.isEmpty() || omitted > 0) {
            holdBack(chunk);
            return "";
        }
        int fits = prefixWithin(chunk, headLimit - headUsed);
        headUsed += utf8Length(chunk, 0, fits);
        if (fits < chunk.length()) {
            holdBack(chunk.substring(fits));
        }
        return chunk.substring(0, fits);
    }

    /** True once anything had to be left out of the history. */
    boolean truncated() {
        return omitted > 0;
    }

    /**
     * What to append at the end: nothing when everything was streamed; the held-back tail when it
     * fitted whole; otherwise the note naming {@code fullOutput}, then the tail.
     */
    String finish(String fullOutput) {
        String held = tail.toString();
        tail.setLength(0);
        if (omitted == 0) {
            return held;
        }
        return "\n[goldentooth: " + omitted + " bytes of output left out here; the full output is in "
                + fullOutput + "]\n" + held;
    }

    private void holdBack(String chunk) {
        tail.append(chunk);
        long excess = utf8Length(tail, 0, tail.length()) - tailLimit;
        int cut = 0;
        long removed = 0;
        while (removed < excess && cut < tail.length()) {
            int step = Character.isHighSurrogate(tail.charAt(cut)) && cut + 1 < tail.length() ? 2 : 1;
            removed += utf8Length(tail, cut, cut + step);
            cut += step;
        }
        omitted += removed;
        tail.delete(0, cut);
    }

    /** The longest prefix of {@code s} (in chars, never splitting a surrogate pair) within {@code bytes} UTF-8 bytes. */
    private static int prefixWithin(CharSequence s, long bytes) {
        long used = 0;
        int i = 0;
        while (i < s.length()) {
            int step = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() ? 2 : 1;
            long size = utf8Length(s, i, i + step);
            if (used + size > bytes) {
                break;
            }
            used += size;
            i += step;
        }
        return i;
    }

    private static long utf8Length(CharSequence s, int from, int to) {
        return s.subSequence(from, to).toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
