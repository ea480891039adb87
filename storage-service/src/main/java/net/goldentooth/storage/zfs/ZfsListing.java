package net.goldentooth.storage.zfs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@link ZfsCommands#listSnapshots} output: tab-separated {@code name property value}
 * lines for {@code creation} and {@code guid}, the dataset itself included. The result is in
 * creation order; snapshots created in the same second keep ZFS's listing order (creation
 * order), so the newest is always last.
 */
public final class ZfsListing {

    private ZfsListing() {
    }

    public static List<ZfsSnapshot> parse(String dataset, String output) {
        Map<String, String[]> byName = new LinkedHashMap<>();
        String prefix = dataset + "@";
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                throw new ZfsOutputException("expected 'name<TAB>property<TAB>value' from zfs get, got '" + line + "'");
            }
            if (!fields[0].startsWith(prefix)) {
                continue; // the dataset itself, or a child listed by -d 1
            }
            String[] values = byName.computeIfAbsent(fields[0].substring(prefix.length()), k -> new String[2]);
            switch (fields[1]) {
                case "creation" -> values[0] = fields[2];
                case "guid" -> values[1] = fields[2];
                default -> throw new ZfsOutputException("unexpected property '" + fields[1] + "' from zfs get");
            }
        }
        List<ZfsSnapshot> snapshots = new ArrayList<>(byName.size());
        byName.forEach((name, values) -> {
            if (values[0] == null || values[1] == null) {
                throw new ZfsOutputException("snapshot " + prefix + name + " lacks creation or guid");
            }
            try {
                snapshots.add(new ZfsSnapshot(name, Instant.ofEpochSecond(Long.parseLong(values[0])), values[1]));
            } catch (NumberFormatException e) {
                throw new ZfsOutputException("creation of " + prefix + name + " is not epoch seconds: " + values[0]);
            }
        });
        // Stable: equal seconds keep listing order.
        snapshots.sort(java.util.Comparator.comparing(ZfsSnapshot::created));
        return snapshots;
    }

    /** True when a failed listing means the dataset does not exist (a target before its first receive). */
    public static boolean isMissingDataset(String stderr) {
        return stderr.contains("dataset does not exist");
    }
}
