package net.goldentooth.events.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Checks that a task was signed by a trusted key, then decodes it. It says nothing about whether
 * the task is addressed to this node, current or new; the agent's admission checks that.
 */
public final class TaskVerifier {

    private final Map<String, Ed25519PublicKeyParameters> trusted;

    public TaskVerifier(Collection<Ed25519PublicKeyParameters> trustedKeys) {
        this.trusted = trustedKeys.stream()
                .collect(Collectors.toUnmodifiableMap(SigningKeys::keyId, Function.identity(), (a, b) -> a));
    }

    /** @throws InvalidTaskException with the reason when the task must not run */
    public Task verify(SignedTask signed) {
        if (signed.payload() == null || signed.signature() == null || signed.keyId() == null) {
            throw new InvalidTaskException(Problem.UNSIGNED, "unsigned: payload, keyId and signature are all required");
        }
        Ed25519PublicKeyParameters key = trusted.get(signed.keyId());
        if (key == null) {
            throw new InvalidTaskException(Problem.UNKNOWN_KEY, "signed by unknown key " + signed.keyId());
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(Problem.BAD_SIGNATURE, "signature is not base64");
        }
        byte[] payload = signed.payload().getBytes(StandardCharsets.UTF_8);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(payload, 0, payload.length);
        if (!verifier.verifySignature(signature)) {
            throw new InvalidTaskException(Problem.BAD_SIGNATURE, "bad signature");
        }
        try {
            return EventCodec.taskOf(signed);
        } catch (PoisonMessageException e) {
            throw new InvalidTaskException(Problem.MALFORMED_PAYLOAD, "signed payload is not a task: " + e.getMessage());
        }
    }

    /** Which check a task failed, so callers classify by type rather than by message. */
    public enum Problem {
        /** No payload, key id or signature. */
        UNSIGNED,
        /** Signed by a key that is not trusted. */
        UNKNOWN_KEY,
        /** The signature is not base64 or does not match the payload: forged or altered. */
        BAD_SIGNATURE,
        /** The signature holds, but the signed payload is not a task. */
        MALFORMED_PAYLOAD
    }

    /** Why a task was refused; the message is safe to publish on {@code job.progress}. */
    public static final class InvalidTaskException extends RuntimeException {
        private final Problem problem;

        public InvalidTaskException(Problem problem, String reason) {
            super(reason);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
