package net.goldentooth.agent.tasks.admission;

import net.goldentooth.events.signing.TaskVerifier;

/**
 * Why a task was refused: each check of {@link Admission} has its own class, which tags the
 * rejection metric; the human-readable detail travels in the {@code job.progress} reason.
 */
public enum RejectionReason {
    /** No signature, key id or payload. */
    UNSIGNED("unsigned"),
    /** Signed by a key this agent does not trust. */
    UNKNOWN_KEY("unknown-key"),
    /** The signature does not match the payload: forged or altered. */
    BAD_SIGNATURE("bad-signature"),
    /** Signed, but not a usable task (a required field is missing). */
    MALFORMED("malformed"),
    /** Addressed to another node, or its record key disagrees with its signed node. */
    MISADDRESSED("misaddressed"),
    /** {@code notBefore} (less the allowed clock skew) is still in the future. */
    NOT_YET_VALID("not-yet-valid"),
    /** {@code expiresAt} has passed. */
    EXPIRED("expired"),
    /** This task id was seen before (started or finished): never run twice. */
    REPLAYED("replayed"),
    /** A {@code command_root} task while {@code goldentooth.agent.allow-root} is false. */
    ROOT_NOT_ALLOWED("root-not-allowed");

    private final String tag;

    RejectionReason(String tag) {
        this.tag = tag;
    }

    /** The class of a refusal by the signature check (the key set may change between the two looks). */
    public static RejectionReason of(TaskVerifier.Problem problem) {
        return switch (problem) {
            case UNSIGNED -> UNSIGNED;
            case UNKNOWN_KEY -> UNKNOWN_KEY;
            case BAD_SIGNATURE -> BAD_SIGNATURE;
            case MALFORMED_PAYLOAD -> MALFORMED;
        };
    }

    /** The metric tag and the prefix of the published reason. */
    public String tag() {
        return tag;
    }
}
