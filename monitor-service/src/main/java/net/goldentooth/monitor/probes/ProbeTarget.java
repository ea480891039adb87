package net.goldentooth.monitor.probes;

import java.net.URI;

/**
 * Something to probe.
 *
 * @param node the inventory node this probe speaks for (liveness), or null for a service probe
 */
public record ProbeTarget(String name, String kind, String host, int port, String path, String node) {

    /** Name prefix of the probe of a node's agent itself (its HTTP port), beside {@code liveness/<node>}. */
    public static final String AGENT_PREFIX = "agent/";

    /** Parses {@code name=kind://host:port[/path]}; icmp and dns (the host is the name to resolve) need no port. */
    public static ProbeTarget parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("probe '" + spec + "' must be name=kind://host:port[/path]");
        }
        String name = spec.substring(0, eq).trim();
        URI uri;
        try {
            uri = URI.create(spec.substring(eq + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("probe '" + name + "': " + e.getMessage());
        }
        String kind = uri.getScheme();
        if (kind == null || !java.util.Set.of("tcp", "http", "https", "icmp", "dns").contains(kind)) {
            throw new IllegalArgumentException("probe '" + name + "': kind must be tcp, http, https, icmp or dns, got " + kind);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("probe '" + name + "': no host in " + uri);
        }
        int port = uri.getPort();
        if (port < 0) {
            port = switch (kind) {
                case "http" -> 80;
                case "https" -> 443;
                case "icmp", "dns" -> 0;
                default -> throw new IllegalArgumentException("probe '" + name + "': tcp needs a port");
            };
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new ProbeTarget(name, kind, uri.getHost(), port, path, null);
    }

    public String address() {
        return kind.equals("icmp") || kind.equals("dns") ? host : host + ":" + port;
    }
}
