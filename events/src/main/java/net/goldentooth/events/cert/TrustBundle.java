package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What every node must trust, on the compacted {@code pki.trust} (key: bundle name,
 * {@code goldentooth}). Agents install the root in the system CA bundle, the SSH user CA as
 * sshd's {@code TrustedUserCAKeys} and the SSH host CA as an {@code @cert-authority} line.
 *
 * @param sshHostCaPublicKey      OpenSSH public key line of the host CA
 * @param sshUserCaPublicKey      OpenSSH public key line of the user CA
 * @param taskSigningPublicKeyPem the provisioner's task-signing key, PEM; null when not configured
 * @param revokedLineages         lineages that are never renewed again, sorted
 * @param revision                grows with every change of the bundle (a revocation, the task key appearing)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustBundle(
        String rootPem,
        String intermediatePem,
        String sshHostCaPublicKey,
        String sshUserCaPublicKey,
        String taskSigningPublicKeyPem,
        List<String> revokedLineages,
        long revision,
        Instant at) {

    /** The key of the one bundle this control plane publishes. */
    public static final String NAME = "goldentooth";
}
