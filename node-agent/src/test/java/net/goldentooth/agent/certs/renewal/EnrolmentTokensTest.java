package net.goldentooth.agent.certs.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentTokensTest {

    @TempDir
    Path dir;

    @Test
    void aSpentTokenIsNeverOfferedAgainEvenAfterARestart() throws Exception {
        Path file = dir.resolve("enrolment-token");
        Files.writeString(file, "# minted by the provisioner\n\ntoken-a\n  token-b  \n");
        Path spent = dir.resolve("spent");

        EnrolmentTokens tokens = new EnrolmentTokens(file, spent);
        assertEquals(Optional.of("token-a"), tokens.take());
        tokens.spend("token-a");

        EnrolmentTokens restarted = new EnrolmentTokens(file, spent);
        assertEquals(Optional.of("token-b"), restarted.take());
        assertEquals(Optional.empty(), restarted.take(), "token-b is reserved by a pending request");
        assertFalse(Files.readString(spent).contains("token-"), "only hashes of spent tokens are kept");
    }

    @Test
    void aReleasedTokenIsOfferedAgain() throws Exception {
        Path file = dir.resolve("enrolment-token");
        Files.writeString(file, "token-a\ntoken-b\n");
        EnrolmentTokens tokens = new EnrolmentTokens(file, dir.resolve("spent"));
        assertEquals(Optional.of("token-a"), tokens.take());
        assertEquals(Optional.of("token-b"), tokens.take(), "two lineages enrolling at once get two tokens");

        tokens.release("token-a");

        assertEquals(Optional.of("token-a"), tokens.take());
    }

    @Test
    void aTokenDroppedInLaterIsUsed() throws Exception {
        Path file = dir.resolve("enrolment-token");
        EnrolmentTokens tokens = new EnrolmentTokens(file, dir.resolve("spent"));
        assertEquals(Optional.empty(), tokens.take());

        Files.writeString(file, "fresh\n");

        assertEquals(Optional.of("fresh"), tokens.take());
    }
}
