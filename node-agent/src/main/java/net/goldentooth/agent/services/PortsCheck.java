package net.goldentooth.agent.services;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * Who listens on the TCP ports this node's services need. The seed's node_exporter could not start
 * because another process held :9100 (~L10826) and nothing said so; here each watched port reads
 * {@code free}, {@code agent} (this process), {@code expected} (held by the process named for it), or
 * {@code held by <command> (pid <n>)}, which is {@code critical}. Listening sockets come from
 * {@code /proc/net/tcp} and {@code tcp6}; the holder from the socket inodes under
 * {@code /proc/<pid>/fd}. A holder the agent may not look at (another user's process, when the agent
 * is not root) reads {@code held by another process} and is a warning.
 */
public final class PortsCheck implements ServiceProbe {

    /** A port and the command name ({@code /proc/<pid>/comm}) that should hold it; null: only this agent. */
    public record WatchedPort(int port, String expectedCommand) {
        /** Parses {@code 9100=prometheus-node-exporter} or {@code 9110}. */
        public static WatchedPort parse(String text) {
            String[] parts = text.strip().split("=", 2);
            int port;
            try {
                port = Integer.parseInt(parts[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not <port>[=<command>]");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range in '" + text + "'");
            }
            return new WatchedPort(port, parts.length == 2 && !parts[1].isBlank() ? parts[1].strip() : null);
        }
    }

    private final List<WatchedPort> ports;
    private final Path proc;
    private final long selfPid;
    private final Clock clock;

    public PortsCheck(List<WatchedPort> ports, Path proc, long selfPid, Clock clock) {
        this.ports = List.copyOf(ports);
        this.proc = proc;
        this.selfPid = selfPid;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ports";
    }

    @Override
    public ServiceCheck check() throws IOException {
        Map<Integer, Long> listeners = new HashMap<>();
        listening(proc.resolve("net/tcp"), listeners);
        listening(proc.resolve("net/tcp6"), listeners);
        Map<String, String> details = new LinkedHashMap<>();
        State state = State.OK;
        StringBuilder problems = new StringBuilder();
        Map<Long, Holder> holders = null;
        for (WatchedPort watched : ports) {
            Long inode = listeners.get(watched.port());
            String verdict;
            if (inode == null) {
                verdict = "free";
            } else {
                if (holders == null) {
                    holders = holders(listeners);
                }
                Holder holder = holders.get(inode);
                if (holder != null && holder.pid() == selfPid) {
                    verdict = "agent";
                } else if (holder != null && holder.command().equals(watched.expectedCommand())) {
                    verdict = "expected";
                } else if (holder != null) {
                    verdict = "held by " + holder.command() + " (pid " + holder.pid() + ")";
                    state = State.CRITICAL;
                } else {
                    verdict = "held by another process";
                    state = state.worst(State.WARNING);
                }
            }
            details.put("port." + watched.port(), verdict);
            if (verdict.startsWith("held by")) {
                problems.append(problems.length() == 0 ? "" : "; ").append(':').append(watched.port()).append(' ')
                        .append(verdict).append(watched.expectedCommand() == null ? ""
                                : ", needed by " + watched.expectedCommand());
            }
        }
        return new ServiceCheck(name(), name(), state, null, details, clock.instant(),
                problems.length() == 0 ? null : problems.toString());
    }

    /** Port → socket inode of the sockets in state LISTEN ({@code 0A}). */
    static void listening(Path table, Map<Integer, Long> out) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals("0A")) {
                continue;
            }
            String local = f[1];
            int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
            out.putIfAbsent(port, Long.parseLong(f[9]));
        }
    }

    record Holder(long pid, String command) {
    }

    /** The processes holding the listening inodes, by inode; this process's own descriptors first. */
    private Map<Long, Holder> holders(Map<Integer, Long> listeners) {
        java.util.Set<Long> wanted = new java.util.HashSet<>(listeners.values());
        Map<Long, Holder> out = new HashMap<>();
        scanFds(selfPid, wanted, out);
        if (out.keySet().containsAll(wanted)) {
            return out;
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                if (pid != selfPid) {
                    scanFds(pid, wanted, out);
                }
                if (out.keySet().containsAll(wanted)) {
                    break;
                }
            }
        } catch (IOException e) {
            // /proc unreadable: the holders stay unknown ("held by another process").
        }
        return out;
    }

    private void scanFds(long pid, java.util.Set<Long> wanted, Map<Long, Holder> out) {
        Path dir = proc.resolve(Long.toString(pid));
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
            String command = null;
            for (Path fd : fds) {
                Optional<Long> inode = socketInode(fd);
                if (inode.isPresent() && wanted.contains(inode.get()) && !out.containsKey(inode.get())) {
                    if (command == null) {
                        command = Files.readString(dir.resolve("comm")).strip();
                    }
                    out.put(inode.get(), new Holder(pid, command));
                }
            }
        } catch (IOException | SecurityException e) {
            // Another user's process, or one that just ended.
        }
    }

    private static Optional<Long> socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
                return Optional.of(Long.parseLong(target.substring(8, target.length() - 1)));
            }
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            // A descriptor closed while we looked.
        }
        return Optional.empty();
    }
}
