package net.goldentooth.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.signing.SigningKeys;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The public keys whose task signatures this agent trusts at start-up: {@code trusted-key-files},
 * and the provisioner's key learnt earlier from {@code pki.trust}. A new node may have neither and
 * only an enrolment token: the key then arrives on {@code pki.trust}, vouched for by the token.
 */
public final class TrustedKeys {

    /**
     * @param learntKeyFile      the key learnt from {@code pki.trust} before (read when present)
     * @param enrolmentTokenFile when it exists, configured key files may be missing (the key will be learnt)
     * @throws IllegalStateException naming {@code goldentooth.agent.trusted-key-files} and the file when
     *                               a key cannot be read, or when no key is configured and none can be
     *                               learnt: an agent that trusts nothing would refuse every task
     */
    public static List<Ed25519PublicKeyParameters> load(List<Path> files, Path learntKeyFile, Path enrolmentTokenFile) {
        boolean learnable = Files.exists(learntKeyFile) || Files.exists(enrolmentTokenFile);
        if (files.isEmpty() && !learnable) {
            throw new IllegalStateException("goldentooth.agent.trusted-key-files is empty: no task could ever run");
        }
        List<Ed25519PublicKeyParameters> keys = new ArrayList<>();
        List<Path> all = new ArrayList<>(files);
        if (Files.exists(learntKeyFile)) {
            all.add(learntKeyFile);
        }
        for (Path file : all) {
            try {
                keys.add(SigningKeys.readPublicKey(file));
            } catch (NoSuchFileException e) {
                if (learnable) {
                    continue; // pki.trust brings the key, checked against the enrolment token
                }
                throw new IllegalStateException("goldentooth.agent.trusted-key-files: the task-signing public key "
                        + file + " does not exist (the provisioner writes it on its first start; or give the agent "
                        + "an enrolment token, and the key is learnt from pki.trust)", e);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("goldentooth.agent.trusted-key-files: cannot read the task-signing "
                        + "public key " + file + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private TrustedKeys() {
    }
}
