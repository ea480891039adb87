package net.goldentooth.agent.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskVerifier;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The task-signing keys this agent trusts, by key id: those of {@code trusted-key-files} from
 * start-up, and the provisioner's key once it is learnt from {@code pki.trust} (see
 * {@code certs.trust.TaskKeyTrust}). Keys are only ever added. Thread-safe: the task consumer
 * reads while the trust consumer adds.
 */
public final class TaskKeyring {

    private volatile Map<String, TaskVerifier> verifiers;

    public TaskKeyring(Collection<Ed25519PublicKeyParameters> keys) {
        Map<String, TaskVerifier> byId = new HashMap<>();
        keys.forEach(key -> byId.put(SigningKeys.keyId(key), new TaskVerifier(java.util.List.of(key))));
        this.verifiers = Map.copyOf(byId);
    }

    /** A keyring of one verifier that holds the keys {@code keyIds}. */
    public static TaskKeyring of(TaskVerifier verifier, Collection<String> keyIds) {
        TaskKeyring ring = new TaskKeyring(java.util.List.of());
        Map<String, TaskVerifier> byId = new HashMap<>();
        keyIds.forEach(id -> byId.put(id, verifier));
        ring.verifiers = Map.copyOf(byId);
        return ring;
    }

    /** Trusts {@code key} from now on; false when it already was. */
    public synchronized boolean add(Ed25519PublicKeyParameters key) {
        String id = SigningKeys.keyId(key);
        if (verifiers.containsKey(id)) {
            return false;
        }
        Map<String, TaskVerifier> next = new HashMap<>(verifiers);
        next.put(id, new TaskVerifier(java.util.List.of(key)));
        verifiers = Map.copyOf(next);
        return true;
    }

    /** The verifier of the key {@code keyId}, when it is trusted. */
    public Optional<TaskVerifier> verifierOf(String keyId) {
        return keyId == null ? Optional.empty() : Optional.ofNullable(verifiers.get(keyId));
    }

    public int size() {
        return verifiers.size();
    }
}
