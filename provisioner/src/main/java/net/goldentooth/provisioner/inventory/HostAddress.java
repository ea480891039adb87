package net.goldentooth.provisioner.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a whole pattern reads as one host name or address, with an optional port and {@code [x:y]}
 * ranges: Ansible's {@code parse_address(..., allow_ranges=True)}, which decides that a pattern without
 * a comma such as {@code web[1:3]} is one term rather than a {@code :}-separated list. Ported with its
 * regular expressions as they are, quirks included (its IPv6 expression anchors only its first and last
 * alternatives), so the split agrees with Ansible's.
 */
final class HostAddress {

    private HostAddress() {
    }

    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String IPV6_PART = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String IPV4_PART = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final Pattern IPV4 = Pattern.compile("^(?:" + IPV4_PART + "\\.){3}" + IPV4_PART + "$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV6 = Pattern.compile(String.join("|",
            "^(?:{0}:){7}{0}",
            "(?:{0}:){1,6}:",
            "(?:{0}:)(?::{0}){1,6}",
            "(?:{0}:){2}(?::{0}){1,5}",
            "(?:{0}:){3}(?::{0}){1,4}",
            "(?:{0}:){4}(?::{0}){1,3}",
            "(?:{0}:){5}(?::{0}){1,2}",
            "(?:{0}:){6}(?::{0})",
            ":(?::{0}){1,6}",
            "{0}?::",
            "(?:0:){6}(?:{0}\\.){3}{0}",
            "::(?:ffff:)?(?:{0}\\.){3}{0}",
            "(?:0:){5}ffff:(?:{0}\\.){3}{0}$").replace("{0}", IPV6_PART), Pattern.CASE_INSENSITIVE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    static boolean parses(String address) {
        String host = address;
        for (Pattern hostPort : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = hostPort.matcher(host);
            if (m.lookingAt()) {
                host = m.group(1);
            }
        }
        return IPV4.matcher(host).lookingAt() || IPV6.matcher(host).lookingAt() || HOSTNAME.matcher(host).lookingAt();
    }
}
