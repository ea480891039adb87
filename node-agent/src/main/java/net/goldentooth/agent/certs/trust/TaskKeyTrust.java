package net.goldentooth.agent.certs.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;
import net.goldentooth.agent.config.TaskKeyring;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.jboss.logging.Logger;

/**
 * Learns the provisioner's task-signing key from {@code pki.trust}, so that a new node needs only
 * its enrolment token and the bootstrap servers. Anyone who can write to Kafka can publish a
 * bundle, so the key in it is trusted only when it verifies an enrolment token the operator put on
 * this node, minted for a node hosted here: the provisioner signs tokens with that very key, and
 * the token file is the one secret that reached the node out of band. (A token's expiry does not
 * matter here: it dates the enrolment, not the key.) An adopted key is written to
 * {@link #file(Path)} and added to the task admission's keyring; a restarted agent reads it from
 * there, without the token.
 */
public final class TaskKeyTrust {

    private static final Logger LOG = Logger.getLogger(TaskKeyTrust.class);

    /** What the token file holds, read when a bundle names a key not trusted yet. */
    @FunctionalInterface
    public interface Tokens {
        List<String> all() throws IOException;
    }

    private final Path file;
    private final Tokens tokens;
    private final Predicate<String> hosted;
    private final TaskKeyring keyring;

    public TaskKeyTrust(Path stateDir, Tokens tokens, Predicate<String> hosted, TaskKeyring keyring) {
        this.file = file(stateDir);
        this.tokens = tokens;
        this.hosted = hosted;
        this.keyring = keyring;
    }

    /** Where the learnt key is kept (PEM, 0644). */
    public static Path file(Path stateDir) {
        return stateDir.resolve("certs").resolve("task-signing.pub");
    }

    /**
     * Offers the bundle's key: adopted (written, then trusted) when a token vouches for it.
     *
     * @return true when the key was adopted now
     * @throws IOException when the key file cannot be written (the bundle is then dead-lettered)
     */
    public boolean offer(String publicKeyPem) throws IOException {
        if (publicKeyPem == null || publicKeyPem.isBlank()) {
            return false;
        }
        Ed25519PublicKeyParameters key = SigningKeys.parsePublicKey(publicKeyPem, "pki.trust taskSigningPublicKeyPem");
        String keyId = SigningKeys.keyId(key);
        if (keyring.verifierOf(keyId).isPresent()) {
            return false;
        }
        if (!vouched(key, keyId)) {
            LOG.warnf("pki.trust names task-signing key %s, but no enrolment token here was signed with it; "
                    + "not trusted", keyId);
            return false;
        }
        AtomicFiles.write(file, SigningKeys.publicKeyPem(key).getBytes(StandardCharsets.US_ASCII), FileSpec.mode("0644"));
        keyring.add(key);
        LOG.infof("trusting task-signing key %s from pki.trust (vouched for by an enrolment token), kept at %s",
                keyId, file);
        return true;
    }

    private boolean vouched(Ed25519PublicKeyParameters key, String keyId) throws IOException {
        for (String token : tokens.all()) {
            try {
                EnrolmentToken claims = EnrolmentToken.verify(token, key);
                if (keyId.equals(claims.keyId()) && claims.node() != null && hosted.test(claims.node())) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not signed with this key (or not a token at all): look at the next one
            }
        }
        return false;
    }
}
