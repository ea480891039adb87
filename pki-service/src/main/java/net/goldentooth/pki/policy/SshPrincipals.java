package net.goldentooth.pki.policy;

import java.util.List;

/** The principals of a node's OpenSSH certificates (DESIGN.md, "PKI rules"). */
public final class SshPrincipals {

    /** Host certificates: the hostname, both FQDNs and the inventory IP, so every way of addressing the node verifies. */
    public static List<String> host(NodeIdentity node) {
        return node.baseNames();
    }

    /**
     * Root user certificates: {@code root}, which sshd matches against the login name by default,
     * and {@code <host>-root}, which an {@code AuthorizedPrincipalsFile} can list to admit root of
     * one host only.
     */
    public static List<String> rootUser(NodeIdentity node) {
        return List.of("root", node.host() + "-root");
    }

    private SshPrincipals() {
    }
}
