package net.goldentooth.agent.services;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * The node's state as Slurm's controller sees it ({@code scontrol show node <node> --oneliner}) and
 * its configured {@code RealMemory} against the memory this node really has. The seed configured
 * 4096 MB on Pis with about 3797 MB and slurmctld marked them {@code inval} on registration
 * (seed ~L10015); the agent sees the mismatch as soon as the controller knows the node, before
 * slurmd registers, and reports it as a warning with both figures.
 */
public final class SlurmCheck implements ServiceProbe {

    /** A state flag that means the node takes no jobs. */
    private static final List<String> UNUSABLE = List.of("INVAL", "DOWN", "DRAIN", "FAIL", "NOT_RESPONDING");
    private static final Pattern FIELD = Pattern.compile("(?:^|\\s)([A-Za-z][A-Za-z/]*)=");

    private final String node;
    private final List<String> scontrol;
    private final CommandRunner commands;
    private final LongSupplier measuredMemoryMb;
    private final Clock clock;

    /**
     * @param scontrol         the command and any options before {@code show node} (a test points
     *                         it at its own slurm.conf through the environment of its wrapper)
     * @param measuredMemoryMb MemTotal in MiB, what slurmd measures and compares
     */
    public SlurmCheck(String node, List<String> scontrol, CommandRunner commands, LongSupplier measuredMemoryMb,
                      Clock clock) {
        this.node = node;
        this.scontrol = List.copyOf(scontrol);
        this.commands = commands;
        this.measuredMemoryMb = measuredMemoryMb;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "slurmd";
    }

    @Override
    public ServiceCheck check() throws Exception {
        List<String> command = new java.util.ArrayList<>(scontrol);
        command.addAll(List.of("show", "node", node, "--oneliner"));
        CommandRunner.Result result = commands.run(command);
        Map<String, String> details = new LinkedHashMap<>();
        long measured = measuredMemoryMb.getAsLong();
        details.put("measuredMemoryMb", Long.toString(measured));
        if (result.exitCode() != 0) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, null, details, clock.instant(),
                    "scontrol: " + result.firstErrorLine());
        }
        return evaluate(result.stdout(), measured, details);
    }

    ServiceCheck evaluate(String oneLiner, long measured, Map<String, String> details) {
        Map<String, String> fields = fields(oneLiner.strip());
        String state = fields.getOrDefault("State", "");
        details.put("state", state.toLowerCase(Locale.ROOT));
        String realMemory = fields.get("RealMemory");
        if (realMemory != null) {
            details.put("realMemoryMb", realMemory);
        }
        if (fields.containsKey("Reason")) {
            details.put("reason", fields.get("Reason"));
        }
        State verdict = State.OK;
        String upper = state.toUpperCase(Locale.ROOT);
        if (UNUSABLE.stream().anyMatch(upper::contains) || upper.endsWith("*")) {
            verdict = State.CRITICAL;
        } else if (upper.startsWith("UNKNOWN")) {
            // Known to the controller, never registered: slurmd has not started (or not reached it) yet.
            verdict = State.WARNING;
        }
        if (realMemory != null && Long.parseLong(realMemory) > measured) {
            verdict = verdict.worst(State.WARNING);
        }
        return new ServiceCheck(name(), name(), verdict, fields.get("Version"), details, clock.instant(), null);
    }

    /** {@code Key=value} fields of a one-line record; a value runs until the next {@code Key=}. */
    static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        String key = null;
        int valueStart = 0;
        while (m.find()) {
            if (key != null) {
                out.put(key, line.substring(valueStart, m.start()).strip());
            }
            key = m.group(1);
            valueStart = m.end();
        }
        if (key != null) {
            out.put(key, line.substring(valueStart).strip());
        }
        return out;
    }
}
