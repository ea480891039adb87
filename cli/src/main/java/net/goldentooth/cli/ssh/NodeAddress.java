package net.goldentooth.cli.ssh;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.api.InventoryView;

/**
 * Where to log in to a node, from the provisioner's inventory: {@code ansible_host},
 * {@code ansible_port} (22) and {@code ansible_user} (root), as Ansible itself would.
 */
public record NodeAddress(String node, String host, int port, String user) {

    public static final String DEFAULT_USER = "root";

    static NodeAddress of(InventoryView.Host host) {
        Map<String, Object> vars = host.vars() == null ? Map.of() : host.vars();
        Object port = vars.get("ansible_port");
        Object user = vars.get("ansible_user");
        return new NodeAddress(host.name(), host.address() == null ? host.name() : host.address(),
                port == null ? 22 : Integer.parseInt(port.toString().strip()),
                user == null ? DEFAULT_USER : user.toString());
    }

    /**
     * Host names and group names, comma-separated, in inventory order. The CLI does not resolve the
     * provisioner's full pattern language; for cp and shell names and groups are what is needed.
     *
     * @throws IllegalArgumentException naming the term that matches nothing
     */
    public static List<NodeAddress> select(InventoryView inventory, String names) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String term : names.split(",")) {
            String name = term.strip();
            if (inventory.hosts().containsKey(name)) {
                chosen.add(name);
            } else if (inventory.groups().containsKey(name)) {
                chosen.addAll(inventory.groups().get(name));
            } else {
                throw new IllegalArgumentException("unknown host or group '" + name + "'; groups: "
                        + String.join(", ", inventory.groups().keySet()));
            }
        }
        List<NodeAddress> out = new ArrayList<>();
        for (String name : inventory.hosts().keySet()) {
            if (chosen.contains(name)) {
                out.add(of(inventory.hosts().get(name)));
            }
        }
        return out;
    }

    /** How OpenSSH names this host in known_hosts. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }
}
