package net.goldentooth.provisioner.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell globs as Python's {@code fnmatch.translate} reads them (which Ansible's patterns use):
 * {@code *} any run, {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [!abc]} one
 * character of a set, a {@code [} without its {@code ]} literal, everything else literal. The result
 * matches a whole name.
 */
final class Glob {

    private Glob() {
    }

    static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    regex.append("\\[");
                } else {
                    regex.append(charClass(glob.substring(i, j)));
                    i = j + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile("(?s:" + regex + ")\\z");
    }

    /** The set between {@code [} and {@code ]}: ranges whose ends are reversed are dropped, as Python does. */
    private static String charClass(String body) {
        boolean negated = body.startsWith("!");
        String set = negated ? body.substring(1) : body;
        if (set.isEmpty()) {
            // "[!]" is any character; "[]" cannot occur (a leading ']' is part of the set).
            return negated ? "." : "(?!)";
        }
        // Split at the hyphens that make ranges: a hyphen first in the set is literal, and the character
        // after a range's hyphen cannot start another one.
        List<String> chunks = new ArrayList<>();
        int from = 0;
        int k = 1;
        while (true) {
            k = set.indexOf('-', k);
            if (k < 0) {
                break;
            }
            chunks.add(set.substring(from, k));
            from = k + 1;
            k = k + 3;
        }
        String last = set.substring(from);
        if (last.isEmpty()) {
            chunks.set(chunks.size() - 1, chunks.get(chunks.size() - 1) + "-");
        } else {
            chunks.add(last);
        }
        for (int c = chunks.size() - 1; c > 0; c--) {
            String before = chunks.get(c - 1);
            String after = chunks.get(c);
            if (before.isEmpty() || after.isEmpty()) {
                // Python's translate fails here too (an emptied range next to another).
                throw new IllegalArgumentException("the set [" + body + "] has ranges that cancel out");
            }
            if (before.charAt(before.length() - 1) > after.charAt(0)) {
                chunks.set(c - 1, before.substring(0, before.length() - 1) + after.substring(1));
                chunks.remove(c);
            }
        }
        StringBuilder out = new StringBuilder(negated ? "[^" : "[");
        for (int c = 0; c < chunks.size(); c++) {
            if (c > 0) {
                out.append('-');
            }
            for (char ch : chunks.get(c).toCharArray()) {
                if (!Character.isLetterOrDigit(ch)) {
                    out.append('\\');
                }
                out.append(ch);
            }
        }
        if (out.length() == (negated ? 2 : 1)) {
            return negated ? "." : "(?!)";
        }
        return out.append(']').toString();
    }
}
