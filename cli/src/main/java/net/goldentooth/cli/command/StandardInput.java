package net.goldentooth.cli.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import net.goldentooth.cli.CliContext;

/** Reads all of the CLI's standard input as UTF-8 text. */
final class StandardInput {

    static String readAll(CliContext context) {
        try {
            return new String(context.in().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    private StandardInput() {
    }
}
