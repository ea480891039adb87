package net.goldentooth.pki.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/** Subject alternative names: IP literals versus DNS names, and the normal form they are compared in. */
public final class Names {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern DNS = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public static boolean isIpLiteral(String name) {
        return IPV4.matcher(name).matches() || IPV6.matcher(name).matches();
    }

    public static boolean isDnsName(String name) {
        return DNS.matcher(name).matches();
    }

    /** DNS names compare case-insensitively; a trailing dot is the same name. */
    public static String normalise(String name) {
        String trimmed = name.strip();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    private Names() {
    }
}
