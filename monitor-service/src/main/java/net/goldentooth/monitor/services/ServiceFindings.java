package net.goldentooth.monitor.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.ServiceCheck;

/**
 * Typed readings of the {@code services} section of a node's facts (the detail keys documented on
 * {@link ServiceCheck}), shared by the alert conditions and the exported metrics so both read the
 * facts the same way.
 */
public final class ServiceFindings {

    private ServiceFindings() {
    }

    /** The node's checks, or none. */
    public static List<ServiceCheck> checks(NodeFacts facts) {
        if (facts == null || facts.services() == null || facts.services().value() == null) {
            return List.of();
        }
        return facts.services().value();
    }

    /** The gauge value of a state: 0 ok, 1 warning, 2 unknown, 3 critical (rising with severity). */
    public static int rank(ServiceCheck.State state) {
        return switch (state) {
            case OK -> 0;
            case WARNING -> 1;
            case UNKNOWN -> 2;
            case CRITICAL -> 3;
        };
    }

    /**
     * Configured RealMemory minus the measured memory, in bytes (above 0: slurmctld will mark the
     * node {@code inval}), or null when the node runs no slurmd check or a figure is missing. The
     * measured figure is the check's own (MemTotal, what slurmd compares), else the facts' memory.
     */
    public static Long slurmMemoryExcessBytes(NodeFacts facts) {
        for (ServiceCheck c : checks(facts)) {
            if (!"slurmd".equals(c.kind())) {
                continue;
            }
            Double configured = c.number("realMemoryMb");
            Double measuredMb = c.number("measuredMemoryMb");
            Double measured = measuredMb != null ? measuredMb * 1048576
                    : facts.memory() != null && facts.memory().value() != null
                    ? (double) facts.memory().value().totalBytes() : null;
            if (configured == null || measured == null) {
                return null;
            }
            return (long) (configured * 1048576 - measured);
        }
        return null;
    }

    /** One HAProxy backend as a node's check reports it. */
    public record Backend(String name, int servers, int serversUp, String status) {
    }

    public static List<Backend> haproxyBackends(NodeFacts facts) {
        List<Backend> out = new ArrayList<>();
        for (ServiceCheck c : checks(facts)) {
            if (!"haproxy".equals(c.kind())) {
                continue;
            }
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(c.details()).entrySet()) {
                String key = e.getKey();
                if (key.startsWith("backend.") && key.endsWith(".servers")) {
                    String name = key.substring("backend.".length(), key.length() - ".servers".length());
                    Double servers = c.number(key);
                    Double up = c.number("backend." + name + ".serversUp");
                    if (servers != null && up != null) {
                        out.add(new Backend(name, servers.intValue(), up.intValue(),
                                c.details().getOrDefault("backend." + name + ".status", "")));
                    }
                }
            }
        }
        return out;
    }

    /** The Consul server's last-seen mark (epoch seconds), or null. */
    public static Long consulLastSeen(NodeFacts facts) {
        for (ServiceCheck c : checks(facts)) {
            if ("consul".equals(c.kind()) && c.number("lastSeenUnix") != null) {
                return c.number("lastSeenUnix").longValue();
            }
        }
        return null;
    }

    /** A watched port and who holds it, from the {@code ports} check. */
    public record Port(int port, String verdict) {
        public boolean heldByOther() {
            return verdict.startsWith("held by");
        }
    }

    public static List<Port> ports(NodeFacts facts) {
        List<Port> out = new ArrayList<>();
        for (ServiceCheck c : checks(facts)) {
            if (!"ports".equals(c.kind())) {
                continue;
            }
            c.details().forEach((key, verdict) -> {
                if (key.startsWith("port.")) {
                    try {
                        out.add(new Port(Integer.parseInt(key.substring(5)), verdict));
                    } catch (NumberFormatException ignored) {
                        // Not a port key; the check writes only numbers here.
                    }
                }
            });
        }
        return out;
    }
}
