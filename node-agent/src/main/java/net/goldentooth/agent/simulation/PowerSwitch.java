package net.goldentooth.agent.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The power switches of the simulated nodes this agent stands in for. A node listed in
 * {@code <state-dir>/simulation/powered-off} (one name a line; {@code goldentooth simulate down} writes
 * it) is off: the agent publishes no facts for it and leaves its tasks unanswered, as a machine that
 * lost power would, so NodeDown and recovery can be seen without owning the machine. The agent also
 * writes {@code simulation/nodes}, the names that can be switched, for the CLI to check against.
 * Real nodes are always on. Thread-safe.
 */
public final class PowerSwitch {

    private static final Logger LOG = Logger.getLogger(PowerSwitch.class);

    public static final String DIRECTORY = "simulation";
    public static final String POWERED_OFF = "powered-off";
    public static final String NODES = "nodes";
    /** How often the file's modification time is looked at; a switch takes effect within this. */
    private static final Duration RECHECK = Duration.ofMillis(250);

    private final Path file;
    private final Set<String> switchable;
    private final Clock clock;
    private Instant checkedAt = Instant.MIN;
    private FileTime seenModified;
    private Set<String> off = Set.of();

    private PowerSwitch(Path file, Set<String> switchable, Clock clock) {
        this.file = file;
        this.switchable = switchable;
        this.clock = clock;
    }

    /** No simulated nodes: everything is on and nothing is written. */
    public static PowerSwitch none() {
        return new PowerSwitch(null, Set.of(), Clock.systemUTC());
    }

    /**
     * Switches for {@code simulated} under {@code stateDir}, listing them in {@code simulation/nodes}.
     *
     * @throws UncheckedIOException when the state directory cannot be written
     */
    public static PowerSwitch of(Path stateDir, List<String> simulated, Clock clock) {
        Path dir = stateDir.resolve(DIRECTORY);
        if (simulated.isEmpty()) {
            try {
                // A simulation of an earlier start must not leave its nodes switchable in the CLI's eyes.
                Files.deleteIfExists(dir.resolve(NODES));
            } catch (IOException e) {
                throw new UncheckedIOException("goldentooth.agent.state-dir: cannot remove " + dir.resolve(NODES)
                        + ": " + e.getMessage(), e);
            }
            return none();
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(NODES + ".tmp");
            Files.writeString(tmp, String.join("\n", simulated) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(NODES), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("goldentooth.agent.state-dir: cannot write " + dir.resolve(NODES) + ": "
                    + e.getMessage(), e);
        }
        return new PowerSwitch(dir.resolve(POWERED_OFF), Set.copyOf(simulated), clock);
    }

    /** The names in a powered-off file: one a line, blank lines and {@code #} comments ignored. */
    public static Set<String> parse(String text) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether {@code node} has power: always for a real node, unless switched off for a simulated one. */
    public boolean isOn(String node) {
        if (!switchable.contains(node)) {
            return true;
        }
        return !poweredOff().contains(node);
    }

    private synchronized Set<String> poweredOff() {
        Instant now = clock.instant();
        if (Duration.between(checkedAt, now).compareTo(RECHECK) < 0) {
            return off;
        }
        checkedAt = now;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            modified = null;
        } catch (IOException e) {
            LOG.warnf("%s cannot be read; the simulated nodes keep their power as it was: %s", file, e.getMessage());
            return off;
        }
        if (modified == null ? seenModified == null && off.isEmpty() : modified.equals(seenModified)) {
            return off;
        }
        Set<String> next;
        try {
            next = modified == null ? new LinkedHashSet<>() : parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warnf("%s cannot be read; the simulated nodes keep their power as it was: %s", file, e.getMessage());
            return off;
        }
        seenModified = modified;
        Set<String> unknown = new TreeSet<>(next);
        unknown.removeAll(switchable);
        if (!unknown.isEmpty()) {
            LOG.warnf("%s names %s, which this agent does not simulate; ignored", file, unknown);
        }
        next.retainAll(switchable);
        for (String node : switchable) {
            boolean wasOff = off.contains(node);
            if (wasOff != next.contains(node)) {
                LOG.infof("simulated node %s powered %s", node, wasOff ? "on" : "off");
            }
        }
        off = Set.copyOf(next);
        return off;
    }
}
