package net.goldentooth.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code simulate down|up|list}: the power switches of the nodes {@code ./goldentooth up --simulate} stands
 * in for. A switch is a line in the agent's {@code simulation/powered-off} file under the embedded default's
 * state directory; the agent reads it within a second. Local only: it works on this machine's embedded
 * default, not on a real cluster, and needs no token because it is the file system's permissions that guard it.
 */
@Command(name = "simulate", description = {"Power the simulated nodes of ./goldentooth up --simulate off and on.",
        "down <node>: the node stops publishing facts and answering tasks (NodeDown follows within the liveness "
                + "window); up <node>: it comes back; list: each simulated node and its power."},
        subcommands = {SimulateCommand.Down.class, SimulateCommand.Up.class, SimulateCommand.ListNodes.class})
public final class SimulateCommand implements Callable<Integer> {

    static final String NODES = "agent/simulation/nodes";
    static final String POWERED_OFF = "agent/simulation/powered-off";

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to do: simulate down <node>, simulate up <node> "
                + "or simulate list");
    }

    /** The embedded default's state directory, as the CLI finds its admin token. */
    private Path state() {
        Map<String, String> env = root.context().env();
        String state = env.get("GOLDENTOOTH_STATE");
        if (state != null && !state.isBlank()) {
            return Path.of(state);
        }
        String home = env.get("GOLDENTOOTH_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, ".goldentooth");
        }
        throw new ParameterException(spec.commandLine(), "no simulation here: neither $GOLDENTOOTH_STATE nor "
                + "$GOLDENTOOTH_HOME is set (run it as ./goldentooth simulate ...)");
    }

    /** The nodes the running agent simulates, in its order. */
    private List<String> simulated(CommandSpec at) {
        Path file = state().resolve(NODES);
        try {
            List<String> nodes = lines(Files.readString(file, StandardCharsets.UTF_8));
            if (!nodes.isEmpty()) {
                return nodes;
            }
        } catch (NoSuchFileException e) {
            // no simulation was started here
        } catch (IOException e) {
            throw new ParameterException(at.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
        throw new ParameterException(at.commandLine(), "no simulated nodes here (" + file + " is missing): "
                + "start them with ./goldentooth up --simulate");
    }

    private Set<String> poweredOff(CommandSpec at) {
        Path file = state().resolve(POWERED_OFF);
        try {
            return new LinkedHashSet<>(lines(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return new LinkedHashSet<>();
        } catch (IOException e) {
            throw new ParameterException(at.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private int switchPower(CommandSpec at, String node, boolean on) {
        List<String> simulated = simulated(at);
        if (!simulated.contains(node)) {
            throw new ParameterException(at.commandLine(), "'" + node + "' is not a simulated node; they are: "
                    + String.join(", ", simulated));
        }
        Set<String> off = poweredOff(at);
        boolean changed = on ? off.remove(node) : off.add(node);
        if (changed) {
            Path file = state().resolve(POWERED_OFF);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, off.isEmpty() ? "" : String.join("\n", off) + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new ParameterException(at.commandLine(), "cannot write " + file + ": " + e.getMessage());
            }
        }
        root.context().out().println(node + " powered " + (on ? "on" : "off") + (changed ? "" : " (it already was)")
                + (on ? "" : "; NodeDown follows once its facts are older than the liveness window"));
        return 0;
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                out.add(name);
            }
        }
        return out;
    }

    @Command(name = "down", description = "Power a simulated node off.")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        SimulateCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Parameters(paramLabel = "<node>", description = "A node of the simulated inventory.")
        String node;

        @Override
        public Integer call() {
            return parent.switchPower(spec, node, false);
        }
    }

    @Command(name = "up", description = "Power a simulated node on again.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        SimulateCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Parameters(paramLabel = "<node>", description = "A node of the simulated inventory.")
        String node;

        @Override
        public Integer call() {
            return parent.switchPower(spec, node, true);
        }
    }

    @Command(name = "list", description = "Each simulated node and whether it has power.")
    static final class ListNodes implements Callable<Integer> {
        @ParentCommand
        SimulateCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            Set<String> off = parent.poweredOff(spec);
            for (String node : parent.simulated(spec)) {
                parent.root.context().out().println(node + "\t" + (off.contains(node) ? "off" : "on"));
            }
            return 0;
        }
    }
}
