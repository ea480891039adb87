package net.goldentooth.storage.nfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses export declarations and renders {@code /etc/exports.d/goldentooth.exports} per server.
 * A declaration is {@code server:/path clients(options)}, several separated by {@code ;}, e.g.
 * the seed's {@code allyrion:/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check)}.
 */
public final class NfsExports {

    /** Where the rendered file goes; {@code exportfs -ra} reads every file of that directory. */
    public static final String EXPORTS_FILE = "/etc/exports.d/goldentooth.exports";
    private static final Pattern ENTRY = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9.-]*):(/[A-Za-z0-9_./-]*)\\s+([A-Za-z0-9*?.:/-]+)\\(([a-z0-9_=,:-]+)\\)");

    private NfsExports() {
    }

    public static List<NfsExport> parse(String declarations) {
        List<NfsExport> exports = new ArrayList<>();
        for (String raw : declarations.split(";")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new NfsConfigException("NFS export '" + entry
                        + "' is not 'server:/path clients(options)', e.g. 'allyrion:/mnt/usb1 *(rw,sync)'");
            }
            if (m.group(2).contains("..")) {
                throw new NfsConfigException("NFS export '" + entry + "' has '..' in its path");
            }
            exports.add(new NfsExport(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return exports;
    }

    /** The exports file content of each server, in declaration order. */
    public static Map<String, String> render(List<NfsExport> exports) {
        Map<String, StringBuilder> files = new LinkedHashMap<>();
        for (NfsExport export : exports) {
            files.computeIfAbsent(export.server(), s -> new StringBuilder(
                    "# Managed by the Goldentooth storage-service; changes here are overwritten.\n"))
                    .append(export.exportsLine()).append('\n');
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        files.forEach((server, text) -> rendered.put(server, text.toString()));
        return rendered;
    }

    /**
     * The job command that installs a server's file and applies it: written atomically, then
     * {@code exportfs -ra}. The content travels on standard input.
     */
    public static String applyCommand() {
        return "mkdir -p /etc/exports.d && cat > " + EXPORTS_FILE + ".tmp && mv " + EXPORTS_FILE + ".tmp "
                + EXPORTS_FILE + " && exportfs -ra";
    }
}
