package net.goldentooth.events.job;

/**
 * The record on {@code job.tasks}. {@code payload} is the exact JSON text of a {@link Task} that
 * was signed, so verification never depends on re-encoding: the agent checks the signature over
 * these bytes and only then decodes them.
 *
 * @param payload   the task as signed, UTF-8 JSON text
 * @param keyId     which signing key (first 16 hex digits of the SHA-256 of its public key)
 * @param signature Ed25519 signature over the UTF-8 bytes of {@code payload}, base64
 */
public record SignedTask(String payload, String keyId, String signature) {
}
