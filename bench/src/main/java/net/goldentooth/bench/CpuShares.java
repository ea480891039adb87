package net.goldentooth.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU seconds the bench's child processes use over the measured runs, by role: the agents (with the
 * commands they ran), the provisioner and the broker. Unlike latency, CPU per job hardly depends on
 * how busy the shared machine is, so it says whether a change made the path cheaper.
 */
final class CpuShares {

    private static final Map<String, String> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put("node-agent/target/quarkus-app", "agents, with their commands");
        ROLES.put("provisioner/target/quarkus-app", "provisioner");
        ROLES.put("goldentooth-broker", "broker");
    }

    private final Map<Long, String> roles = new LinkedHashMap<>();
    private final Map<Long, Double> before = new LinkedHashMap<>();

    static CpuShares start() {
        CpuShares shares = new CpuShares();
        ProcessHandle.current().descendants().forEach(process -> {
            String command = commandLine(process);
            ROLES.forEach((marker, role) -> {
                if (command.contains(marker)) {
                    shares.roles.put(process.pid(), role);
                    shares.before.put(process.pid(), ProcStats.cpuSecondsWithChildren(process.pid()));
                }
            });
        });
        return shares;
    }

    /** Prints CPU milliseconds per job by role, and per target for the agents. */
    void print(int jobs, int targets) {
        Map<String, Double> used = new LinkedHashMap<>();
        before.forEach((pid, start) -> used.merge(roles.get(pid), ProcStats.cpuSecondsWithChildren(pid) - start,
                Double::sum));
        System.out.printf(Locale.ROOT, "CPU per job (ms, /proc over the %d measured runs):%n", jobs);
        used.forEach((role, seconds) -> System.out.printf(Locale.ROOT, "  %-30s %7.1f%s%n", role,
                1000 * seconds / jobs, role.startsWith("agents")
                        ? String.format(Locale.ROOT, "  (%.1f per target)", 1000 * seconds / jobs / targets) : ""));
    }

    /**
     * From {@code /proc/<pid>/cmdline}: {@code ProcessHandle.Info} gives nothing for the agent that
     * hosts 10,000 simulated nodes, whose names are on its command line (~100 KB).
     */
    private static String commandLine(ProcessHandle process) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(process.pid()),
                    "cmdline"));
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return process.info().commandLine().orElse("");
        }
    }

    private CpuShares() {
    }
}
