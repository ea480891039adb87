package net.goldentooth.pki.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What the inventory says about a node, as far as certificates go.
 *
 * @param ip           the inventory's {@code ansible_host}, or null when it has none
 * @param grantedNames per-service names the inventory grants ({@code pki_names})
 */
public record NodeIdentity(String host, String ip, List<String> grantedNames) {

    public static final String NODES_DOMAIN = "nodes.goldentooth.net";
    public static final String DOMAIN = "goldentooth.net";

    public NodeIdentity {
        grantedNames = List.copyOf(grantedNames);
    }

    /** Hostname, {@code <host>.nodes.goldentooth.net}, {@code <host>.goldentooth.net} and the IP. */
    public List<String> baseNames() {
        List<String> names = new ArrayList<>(List.of(host, host + "." + NODES_DOMAIN, host + "." + DOMAIN));
        if (ip != null) {
            names.add(ip);
        }
        return List.copyOf(names);
    }
}
