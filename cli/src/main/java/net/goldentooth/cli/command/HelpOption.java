package net.goldentooth.cli.command;

import picocli.CommandLine.Option;

/** {@code -h/--help} on every command (not inherited: picocli's own help command has one). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean requested;
}
