package net.goldentooth.pki.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.cert.RefusalReason;

/**
 * Which names a node may have in a certificate: its base names ({@link NodeIdentity#baseNames()})
 * plus what the inventory grants it. A request with any other name is refused as a whole, naming
 * the offending names, rather than silently trimmed: a certificate missing a name the service
 * needs would fail later, far from the cause.
 */
public final class NamePolicy {

    public static Set<String> allowed(NodeIdentity node) {
        Set<String> allowed = new LinkedHashSet<>();
        node.baseNames().forEach(n -> allowed.add(Names.normalise(n)));
        node.grantedNames().forEach(n -> allowed.add(Names.normalise(n)));
        return allowed;
    }

    /**
     * The names to certify: the requested ones, normalised and deduplicated, or the node's base
     * names when none were requested.
     *
     * @throws RefusedException {@code name-not-allowed} or, for a name that is neither a DNS name
     *                          nor an IP literal, {@code bad-request}
     */
    public static List<String> check(NodeIdentity node, List<String> requested) {
        if (requested.isEmpty()) {
            return node.baseNames().stream().map(Names::normalise).toList();
        }
        Set<String> allowed = allowed(node);
        Set<String> names = new LinkedHashSet<>();
        Set<String> refused = new LinkedHashSet<>();
        for (String raw : requested) {
            String name = Names.normalise(raw == null ? "" : raw);
            if (!Names.isIpLiteral(name) && !Names.isDnsName(name)) {
                throw new RefusedException(RefusalReason.BAD_REQUEST,
                        "'" + raw + "' is neither a DNS name nor an IP address");
            }
            if (allowed.contains(name)) {
                names.add(name);
            } else {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw new RefusedException(RefusalReason.NAME_NOT_ALLOWED, "not granted to " + node.host() + ": "
                    + String.join(", ", refused) + " (allowed: " + String.join(", ", allowed) + ")");
        }
        return List.copyOf(names);
    }

    private NamePolicy() {
    }
}
