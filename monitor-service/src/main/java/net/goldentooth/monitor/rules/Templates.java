package net.goldentooth.monitor.rules;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Annotation templates in the Prometheus spelling ({@code {{ $labels.node }}}, {@code {{ $value }}}),
 * so the same text works in the exported rule file.
 */
public final class Templates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\$(labels\\.([A-Za-z_][A-Za-z0-9_]*)|value)\\s*}}");

    public static String render(String template, Map<String, String> labels, Double value) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) != null ? labels.getOrDefault(m.group(2), "")
                    : value == null ? "" : formatValue(value);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String formatValue(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.3g", value);
    }

    private Templates() {
    }
}
