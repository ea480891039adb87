package net.goldentooth.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.goldentooth.events.signing.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {

    @TempDir
    Path dir;

    @Test
    void aMissingKeyFileFailsNamingTheKeyAndTheFile() {
        Path missing = dir.resolve("task-signing.pub");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrustedKeys.load(List.of(missing), noLearntKey(), noToken()));
        assertTrue(e.getMessage().startsWith("goldentooth.agent.trusted-key-files"), e.getMessage());
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAPublicKeyFails() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.pub"), "hello\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrustedKeys.load(List.of(wrong), noLearntKey(), noToken()));
        assertTrue(e.getMessage().contains("PUBLIC KEY"), e.getMessage());
    }

    @Test
    void everyListedKeyIsLoaded() throws Exception {
        SigningKeys.KeyPair a = SigningKeys.loadOrCreate(dir.resolve("a.key"), dir.resolve("a.pub"));
        SigningKeys.KeyPair b = SigningKeys.loadOrCreate(dir.resolve("b.key"), dir.resolve("b.pub"));
        List<String> ids = TrustedKeys.load(List.of(dir.resolve("a.pub"), dir.resolve("b.pub")), noLearntKey(), noToken()).stream()
                .map(SigningKeys::keyId).toList();
        assertEquals(List.of(a.keyId(), b.keyId()), ids);
    }

    @Test
    void withAnEnrolmentTokenAMissingKeyFileWaitsForPkiTrust() throws Exception {
        Path token = Files.writeString(dir.resolve("enrolment-token"), "gt1.x.y\n");
        assertEquals(List.of(), TrustedKeys.load(List.of(dir.resolve("task-signing.pub")), noLearntKey(), token));
    }

    @Test
    void aKeyLearntBeforeIsTrustedAgainWithoutTheToken() throws Exception {
        SigningKeys.KeyPair learnt = SigningKeys.loadOrCreate(dir.resolve("l.key"), dir.resolve("learnt.pub"));
        List<String> ids = TrustedKeys.load(List.of(dir.resolve("task-signing.pub")), dir.resolve("learnt.pub"),
                noToken()).stream().map(SigningKeys::keyId).toList();
        assertEquals(List.of(learnt.keyId()), ids);
    }

    private Path noLearntKey() {
        return dir.resolve("no-learnt-key.pub");
    }

    private Path noToken() {
        return dir.resolve("no-enrolment-token");
    }
}
