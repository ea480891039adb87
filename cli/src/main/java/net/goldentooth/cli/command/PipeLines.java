package net.goldentooth.cli.command;

import java.util.ArrayList;
import java.util.List;

/** The commands of a {@code pipe}: one per line; blank lines and {@code #} comments are skipped. */
public final class PipeLines {

    public static List<String> commands(String text) {
        List<String> commands = new ArrayList<>();
        for (String line : text.split("\r?\n|\r", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            commands.add(trimmed);
        }
        return commands;
    }

    private PipeLines() {
    }
}
