package net.goldentooth.provisioner.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.goldentooth.provisioner.inventory.Inventory;

/**
 * Renders {@code haproxy.cfg} for the Kubernetes API load balancer from the inventory: the
 * frontend binds the load balancer host's address, the backend has one server per host of the
 * control-plane group, in inventory order. Pure; the same inventory always renders the same bytes,
 * so a roll-out can compare before it reloads.
 *
 * <p>The layout follows the seed's hand-written file (seed lines 460-542) with three changes: the
 * backends come from the inventory instead of a list typed by hand (the seed's three copies of the
 * control-plane list disagreed); the defaults carry timeouts, so the stats frontend is not left
 * without them; and no stats password is written — the seed's was in the file in clear text.
 */
public final class HaproxyRenderer {

    /** What a host name or address may contain before it is written into the file. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SAFE_ADDRESS = Pattern.compile("[A-Za-z0-9:][A-Za-z0-9.:_-]*");

    /**
     * @param controlPlaneGroup the inventory group whose hosts are the API servers
     * @param balancerGroup     the inventory group whose first host runs HAProxy; its address is bound
     * @param apiPort           the API servers' port, also the frontend's
     * @param statsPort         the stats page's port
     */
    public record Settings(String controlPlaneGroup, String balancerGroup, int apiPort, int statsPort) {
    }

    private HaproxyRenderer() {
    }

    /** @throws RenderException when a group is missing or empty, or a name or address is unsafe to write */
    public static String render(Inventory inventory, Settings settings) {
        List<Inventory.Host> servers = hostsOf(inventory, settings.controlPlaneGroup());
        Inventory.Host balancer = hostsOf(inventory, settings.balancerGroup()).get(0);
        StringBuilder out = new StringBuilder();
        out.append("# Rendered by the Goldentooth provisioner from the inventory; do not edit by hand.\n");
        out.append("# Backends: the hosts of group '").append(settings.controlPlaneGroup())
                .append("'; frontend: the first host of group '").append(settings.balancerGroup()).append("'.\n\n");
        out.append("global\n");
        out.append("  user haproxy\n");
        out.append("  group haproxy\n");
        out.append("  maxconn 4096\n");
        out.append("  log /dev/log local0\n");
        out.append("  log /dev/log local1 notice\n\n");
        out.append("defaults\n");
        out.append("  log global\n");
        out.append("  timeout connect 10s\n");
        out.append("  timeout client 30s\n");
        out.append("  timeout server 30s\n\n");
        out.append("frontend stats-frontend\n");
        out.append("  bind *:").append(settings.statsPort()).append('\n');
        out.append("  mode http\n");
        out.append("  stats enable\n");
        out.append("  stats uri /stats\n");
        out.append("  stats refresh 10s\n");
        out.append("  stats hide-version\n\n");
        out.append("frontend k8s-api-server\n");
        out.append("  bind ").append(address(balancer)).append(':').append(settings.apiPort()).append('\n');
        out.append("  mode tcp\n");
        out.append("  option tcplog\n");
        out.append("  default_backend k8s-api-server\n\n");
        out.append("backend k8s-api-server\n");
        out.append("  mode tcp\n");
        // API watches are long-lived connections; a short idle timeout would cut every kubectl --watch.
        out.append("  timeout client 86400s\n");
        out.append("  timeout server 86400s\n");
        out.append("  balance roundrobin\n");
        out.append("  option tcp-check\n");
        for (Inventory.Host server : servers) {
            out.append("  server ").append(name(server)).append(' ').append(address(server)).append(':')
                    .append(settings.apiPort()).append(" check fall 3 rise 2\n");
        }
        return out.toString();
    }

    private static List<Inventory.Host> hostsOf(Inventory inventory, String group) {
        List<String> names = inventory.groups().get(group);
        if (names == null) {
            throw new RenderException("inventory has no group '" + group + "'", inventory.groupNames());
        }
        if (names.isEmpty()) {
            throw new RenderException("inventory group '" + group + "' has no hosts", inventory.groupNames());
        }
        List<Inventory.Host> hosts = new ArrayList<>(names.size());
        names.forEach(n -> hosts.add(inventory.hosts().get(n)));
        return hosts;
    }

    private static String name(Inventory.Host host) {
        if (!SAFE_NAME.matcher(host.name()).matches()) {
            throw new RenderException("host name '" + host.name() + "' cannot be an HAProxy server name", List.of());
        }
        return host.name();
    }

    private static String address(Inventory.Host host) {
        String address = host.address();
        if (!SAFE_ADDRESS.matcher(address).matches()) {
            throw new RenderException("host " + host.name() + ": address '" + address
                    + "' is not an IP address or host name", List.of());
        }
        // An IPv6 literal needs brackets before the port.
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
