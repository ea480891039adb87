package net.goldentooth.events.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSigningTest {

    private static final Task TASK = new Task("j-1", "j-1/fenn", "fenn",
            new TaskSpec("uptime", null, false, 30_000, 1 << 20),
            Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:05:00Z"));

    private final SigningKeys.KeyPair provisioner = SigningKeys.generate();

    @Test
    void aSignedTaskVerifiesAndDecodesToTheSameTask() {
        SignedTask signed = new TaskSigner(provisioner).sign(TASK);
        assertEquals(TASK, new TaskVerifier(List.of(provisioner.publicKey())).verify(signed));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        SignedTask signed = new TaskSigner(provisioner).sign(TASK);
        SignedTask tampered = new SignedTask(signed.payload().replace("uptime", "rm -rf /"), signed.keyId(),
                signed.signature());
        var e = assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> new TaskVerifier(List.of(provisioner.publicKey())).verify(tampered));
        assertEquals("bad signature", e.getMessage());
    }

    @Test
    void aTaskSignedByAnotherKeyIsRefusedEvenWhenItClaimsTheTrustedKeyId() {
        SigningKeys.KeyPair attacker = SigningKeys.generate();
        SignedTask forged = new TaskSigner(attacker).sign(TASK);
        SignedTask spoofedId = new SignedTask(forged.payload(), provisioner.keyId(),
                forged.signature());
        TaskVerifier verifier = new TaskVerifier(List.of(provisioner.publicKey()));
        assertTrue(assertThrows(TaskVerifier.InvalidTaskException.class, () -> verifier.verify(forged))
                .getMessage().startsWith("signed by unknown key"));
        assertEquals("bad signature",
                assertThrows(TaskVerifier.InvalidTaskException.class, () -> verifier.verify(spoofedId)).getMessage());
    }

    @Test
    void unsignedAndGarbledSignaturesAreRefused() {
        TaskVerifier verifier = new TaskVerifier(List.of(provisioner.publicKey()));
        SignedTask signed = new TaskSigner(provisioner).sign(TASK);
        assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new SignedTask(signed.payload(), signed.keyId(), null)));
        assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new SignedTask(signed.payload(), signed.keyId(), "***")));
        assertThrows(TaskVerifier.InvalidTaskException.class, () -> verifier.verify(new SignedTask(
                signed.payload(), signed.keyId(), Base64.getEncoder().encodeToString(new byte[64]))));
    }

    @Test
    void eachRefusalNamesTheCheckItFailedByType() {
        SigningKeys.KeyPair attacker = SigningKeys.generate();
        TaskVerifier verifier = new TaskVerifier(List.of(provisioner.publicKey()));
        SignedTask signed = new TaskSigner(provisioner).sign(TASK);
        assertEquals(TaskVerifier.Problem.UNSIGNED, assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new SignedTask(signed.payload(), signed.keyId(), null))).problem());
        assertEquals(TaskVerifier.Problem.UNKNOWN_KEY, assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new TaskSigner(attacker).sign(TASK))).problem());
        assertEquals(TaskVerifier.Problem.BAD_SIGNATURE, assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new SignedTask(signed.payload(), signed.keyId(), "***"))).problem());
        assertEquals(TaskVerifier.Problem.BAD_SIGNATURE, assertThrows(TaskVerifier.InvalidTaskException.class,
                () -> verifier.verify(new SignedTask(signed.payload().replace("uptime", "reboot"), signed.keyId(),
                        signed.signature()))).problem());
    }

    @Test
    void opensslReadsTheKeyFiles(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("task-signing.key");
        SigningKeys.KeyPair pair = SigningKeys.loadOrCreate(privateKey, dir.resolve("task-signing.pub"));
        Process openssl = new ProcessBuilder("openssl", "pkey", "-in", privateKey.toString(), "-pubout")
                .redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), out);
        assertEquals(SigningKeys.publicKeyPem(pair.publicKey()), out);
    }

    @Test
    void keysPersistWithPrivateModeAndReloadToTheSameIdentity(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("keys/task-signing.key");
        Path publicKey = dir.resolve("keys/task-signing.pub");
        SigningKeys.KeyPair created = SigningKeys.loadOrCreate(privateKey, publicKey);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
        SigningKeys.KeyPair loaded = SigningKeys.loadOrCreate(privateKey, publicKey);
        assertEquals(created.keyId(), loaded.keyId());
        SignedTask signed = new TaskSigner(loaded).sign(TASK);
        assertEquals(TASK, new TaskVerifier(List.of(SigningKeys.readPublicKey(publicKey))).verify(signed));
    }
}
