package net.goldentooth.agent.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.agent.facts.CommandRunner;

/** Builds the configured checks; a bad setting stops start-up naming its key. */
public final class ServiceProbes {

    private ServiceProbes() {
    }

    /**
     * @param node     this node's inventory name (Slurm's NodeName)
     * @param httpPort the agent's own HTTP port, always among the watched ports
     * @param timeout  the collector timeout, also each HTTP request's and command's
     */
    public static List<ServiceProbe> of(ServicesConfig config, String node, int httpPort, Duration timeout, Clock clock) {
        List<String> names = ServicesConfig.validated(config.checks().orElse(List.of()));
        List<ServiceProbe> probes = new ArrayList<>();
        HttpGetter http = HttpGetter.create(timeout, null);
        for (String name : names) {
            probes.add(switch (name) {
                case "slurmd" -> new SlurmCheck(node, config.slurm().scontrol(), new CommandRunner(timeout),
                        ServiceProbes::memTotalMb, clock);
                case "haproxy" -> new HaproxyCheck(config.haproxy().statsSocket(), clock);
                case "consul" -> new ConsulCheck(url("consul.address", config.consul().address()),
                        config.consul().dataDir(), positive("consul.rejoin-age-max", config.consul().rejoinAgeMax()),
                        http, clock);
                case "vault" -> new VaultCheck(url("vault.address", config.vault().address()),
                        HttpGetter.create(timeout, config.vault().caFile().orElse(null)), clock);
                case "nomad" -> new NomadCheck(url("nomad.address", config.nomad().address()), http, clock);
                case "kubelet" -> new KubeletCheck(url("kubelet.healthz", config.kubelet().healthz()), http, clock);
                case "ports" -> new PortsCheck(watched(config, httpPort), Path.of("/proc"),
                        ProcessHandle.current().pid(), clock);
                default -> throw new IllegalStateException("validated above: " + name);
            });
        }
        return probes;
    }

    static List<PortsCheck.WatchedPort> watched(ServicesConfig config, int httpPort) {
        List<PortsCheck.WatchedPort> ports = new ArrayList<>();
        ports.add(new PortsCheck.WatchedPort(httpPort, null));
        for (String text : config.ports().orElse(List.of())) {
            try {
                PortsCheck.WatchedPort port = PortsCheck.WatchedPort.parse(text);
                if (port.port() != httpPort) {
                    ports.add(port);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("goldentooth.agent.services.ports: " + e.getMessage(), e);
            }
        }
        return ports;
    }

    private static String url(String key, String value) {
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new IllegalArgumentException("goldentooth.agent.services." + key + ": '" + value
                    + "' is not an http:// or https:// URL");
        }
        try {
            java.net.URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.agent.services." + key + ": " + e.getMessage(), e);
        }
        return value;
    }

    private static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("goldentooth.agent.services." + key + " must be positive, was " + value);
        }
        return value;
    }

    /** MemTotal in MiB, as slurmd measures the node's memory. */
    static long memTotalMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/meminfo: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/meminfo has no MemTotal");
    }
}
