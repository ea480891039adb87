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
    void eachTokenIsTakenOnceEvenAcrossRestarts() throws Exception {
        Path file = dir.resolve("enrolment-token");
        Files.writeString(file, "# minted by the provisioner\n\ntoken-a\n  token-b  \n");
        Path spent = dir.resolve("spent");

        EnrolmentTokens tokens = new EnrolmentTokens(file, spent);
        assertEquals(Optional.of("token-a"), tokens.take());

        EnrolmentTokens restarted = new EnrolmentTokens(file, spent);
        assertEquals(Optional.of("token-b"), restarted.take());
        assertEquals(Optional.empty(), restarted.take());
        assertFalse(Files.readString(spent).contains("token-"), "only hashes of spent tokens are kept");
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
