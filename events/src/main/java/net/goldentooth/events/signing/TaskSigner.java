package net.goldentooth.events.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Signs tasks with the provisioner's Ed25519 key. Thread-safe. */
public final class TaskSigner {

    private final SigningKeys.KeyPair keys;
    private final String keyId;

    public TaskSigner(SigningKeys.KeyPair keys) {
        this.keys = keys;
        this.keyId = keys.keyId();
    }

    public String keyId() {
        return keyId;
    }

    public SignedTask sign(Task task) {
        String payload = EventCodec.encodeToString(task);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, keys.privateKey());
        signer.update(bytes, 0, bytes.length);
        return new SignedTask(payload, keyId, Base64.getEncoder().encodeToString(signer.generateSignature()));
    }
}
