package net.goldentooth.storage.nfs;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code showmount -e} ({@code Export list for allyrion:} then {@code /mnt/usb1 *} lines;
 * the seed shows it at lines 5760-5764) and compares it with what was declared.
 */
public final class Showmount {

    private Showmount() {
    }

    /** The exported paths, in output order. */
    public static List<String> exportedPaths(String output) {
        List<String> paths = new ArrayList<>();
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("/")) {
                paths.add(trimmed.split("\\s+")[0]);
            }
        }
        return paths;
    }

    /** Declared exports of {@code server} that showmount does not list. */
    public static List<String> missing(List<NfsExport> declared, String server, String output) {
        List<String> exported = exportedPaths(output);
        return declared.stream().filter(e -> e.server().equals(server)).map(NfsExport::path)
                .filter(p -> !exported.contains(p)).toList();
    }
}
