package net.goldentooth.agent.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.events.signing.SigningKeys;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/** The public keys whose task signatures this agent trusts, read once at start-up. */
public final class TrustedKeys {

    /**
     * @throws IllegalStateException naming {@code goldentooth.agent.trusted-key-files} and the file when
     *                               a key cannot be read: an agent that trusts nothing would refuse every task
     */
    public static List<Ed25519PublicKeyParameters> load(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalStateException("goldentooth.agent.trusted-key-files is empty: no task could ever run");
        }
        List<Ed25519PublicKeyParameters> keys = new ArrayList<>();
        for (Path file : files) {
            try {
                keys.add(SigningKeys.readPublicKey(file));
            } catch (NoSuchFileException e) {
                throw new IllegalStateException("goldentooth.agent.trusted-key-files: the task-signing public key "
                        + file + " does not exist (the provisioner writes it on its first start)", e);
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
