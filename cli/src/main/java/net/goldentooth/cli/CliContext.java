package net.goldentooth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch outside itself: its streams, the environment and the clock. Tests
 * pass their own; {@link Main#main} passes the process's.
 */
public record CliContext(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Clock clock) {
}
