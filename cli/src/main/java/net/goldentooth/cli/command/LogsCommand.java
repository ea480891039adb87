package net.goldentooth.cli.command;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.goldentooth.cli.ExitCode;
import net.goldentooth.cli.client.Endpoint;
import net.goldentooth.cli.client.MonitorClient;
import net.goldentooth.cli.client.RequestRefusedException;
import net.goldentooth.cli.render.LogLines;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.LogPage;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.events.logs.LogPriority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logs}: journalctl across the fleet. Reads {@code node.logs} through monitor-service's
 * {@code GET /logs}, which seeks by time instead of scanning, and prints the lines of every
 * selected node merged in time order and tagged by host.
 */
@Command(name = "logs", description = "Show the nodes' journal and log-file lines from node.logs, merged in time order "
        + "and tagged by host, like journalctl across the fleet.")
public final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "<pattern>", defaultValue = "all",
            description = "Nodes, as an Ansible host pattern (all, a group, a host, a glob, a,b, !x, &g). Default: all.")
    String pattern;

    @Option(names = {"-u", "--unit"}, paramLabel = "UNIT",
            description = "Only this systemd unit (with or without .service; a file's name without .log). Repeatable.")
    List<String> units = new ArrayList<>();

    @Option(names = {"-p", "--priority"}, paramLabel = "PRIORITY",
            description = "This priority and the more important ones: 0-7 or emerg, alert, crit, err, warning, notice, info, debug.")
    String priority;

    @Option(names = {"-S", "--since"}, paramLabel = "TIME",
            description = "Lines written at or after TIME: -1h, '30m ago', today, yesterday, '2026-12-07 14:00', 14:00, an ISO instant.")
    String since;

    @Option(names = {"-U", "--until"}, paramLabel = "TIME", description = "Lines written at or before TIME (as --since).")
    String until;

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX",
            description = "Only lines whose message matches REGEX (case-insensitive when REGEX has no upper case).")
    String grep;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the newest N lines (with -f: 10 unless given).")
    Integer lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they arrive, until interrupted.")
    boolean follow;

    @Option(names = "--json", description = "One JSON object (a node.logs LogEntry) per line.")
    boolean json;

    @Option(names = "--monitor", paramLabel = "URL",
            description = "monitor-service's base URL (default: $" + MonitorClient.ENV + ", else " + MonitorClient.DEFAULT + ").")
    String monitor;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, List<String>> parameters = parameters();
        MonitorClient client;
        try {
            client = new MonitorClient(Endpoint.resolve(monitor, "--monitor", MonitorClient.ENV, MonitorClient.DEFAULT,
                    root.context().env()), root.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out = root.context().out();
        PrintStream err = root.context().err();
        try {
            if (follow) {
                client.followLogs(parameters, this::print);
                err.println("goldentooth: monitor-service at " + client.base() + " ended the log stream");
                return ExitCode.UNAVAILABLE.code();
            }
            LogPage page = client.logs(parameters);
            print(page.lines());
            if (page.truncated() && lines == null) {
                err.println("goldentooth: more lines matched than the monitor returns at once; the oldest were left out "
                        + "(narrow it with --since, --until, -u, -p or --grep)");
            }
            return ExitCode.SUCCESS.code();
        } catch (RequestRefusedException e) {
            err.println("goldentooth: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (IOException e) {
            err.println("goldentooth: monitor-service at " + client.base() + " cannot be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            err.println("  Is it running? './goldentooth up' starts one locally; "
                    + "--monitor URL or $" + MonitorClient.ENV + " points elsewhere.");
            return ExitCode.UNAVAILABLE.code();
        } finally {
            out.flush();
        }
    }

    private void print(List<LogEntry> entries) {
        PrintStream out = root.context().out();
        if (json) {
            entries.forEach(e -> out.println(EventCodec.encodeToString(e)));
            out.flush();
        } else {
            LogLines.print(entries, root.context().clock().getZone(), out);
        }
    }

    /** The REST parameters; a bad option is a usage error (exit 2) before anything is sent. */
    Map<String, List<String>> parameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("pattern", List.of(pattern));
        if (!units.isEmpty()) {
            parameters.put("unit", units);
        }
        try {
            if (priority != null) {
                parameters.put("priority", List.of(Integer.toString(LogPriority.parse(priority))));
            }
            if (since != null) {
                parameters.put("since", List.of(time("--since", since).toString()));
            }
            if (until != null) {
                parameters.put("until", List.of(time("--until", until).toString()));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (follow && until != null) {
            throw new ParameterException(spec.commandLine(), "--follow and --until cannot be used together");
        }
        if (follow && since != null) {
            throw new ParameterException(spec.commandLine(), "--follow starts from the newest lines; use -n N, not --since");
        }
        if (grep != null) {
            parameters.put("grep", List.of(grep));
        }
        if (lines != null) {
            if (lines < 0) {
                throw new ParameterException(spec.commandLine(), "-n must be 0 or more, was " + lines);
            }
            parameters.put("n", List.of(lines.toString()));
        }
        return parameters;
    }

    private Instant time(String option, String value) {
        try {
            return LogTimes.parse(value, root.context().clock());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
