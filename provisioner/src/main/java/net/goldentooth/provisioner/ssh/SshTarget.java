package net.goldentooth.provisioner.ssh;

import java.util.Map;
import java.util.Optional;
import net.goldentooth.provisioner.inventory.Inventory;

/**
 * Where and as whom to log in to one node, from its inventory entry.
 *
 * @param firstContact the inventory allows trusting this host's key on first sight
 *                     ({@code goldentooth_ssh_first_contact: true}); otherwise an unknown host is refused
 */
public record SshTarget(String node, String host, int port, String user, boolean firstContact) {

    /** The inventory host variable that allows trust on first contact. */
    public static final String FIRST_CONTACT_VAR = "goldentooth_ssh_first_contact";

    /** The target of an inventory host; empty when the node is not in the inventory. */
    public static Optional<SshTarget> of(Inventory inventory, String node, String defaultUser) {
        Inventory.Host host = inventory.hosts().get(node);
        if (host == null) {
            return Optional.empty();
        }
        Map<String, Object> vars = host.vars();
        Object port = vars.get("ansible_port");
        Object user = vars.get("ansible_user");
        return Optional.of(new SshTarget(node, host.address(),
                port == null ? 22 : Integer.parseInt(port.toString().strip()),
                user == null ? defaultUser : user.toString(),
                Boolean.parseBoolean(String.valueOf(vars.get(FIRST_CONTACT_VAR)))));
    }

    /** How OpenSSH names this host in known_hosts. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    String poolKey() {
        return user + "@" + host + ":" + port;
    }
}
