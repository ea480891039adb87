package net.goldentooth.agent.certs.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own SSH key pair: made once with the right modes, kept, and readable by OpenSSH itself. */
class GeneratedSshKeyTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceOwnerOnlyAndReusedByTheNextAgent() throws Exception {
        Path path = dir.resolve("state/ssh/root_ed25519");
        GeneratedSshKey key = new GeneratedSshKey(path, "root@bettley", new SecureRandom());

        String first = key.publicKey();
        String privateKey = Files.readString(path);

        assertTrue(first.startsWith("ssh-ed25519 ") && first.endsWith(" root@bettley"), first);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(path));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(key.publicKeyPath()));
        assertEquals(first + "\n", Files.readString(key.publicKeyPath()));
        assertEquals(first, key.publicKey(), "the same key on the next request");
        GeneratedSshKey restarted = new GeneratedSshKey(path, "root@bettley", new SecureRandom());
        assertEquals(first, restarted.publicKey(), "the same key after a restart");
        assertEquals(privateKey, Files.readString(path), "the private key is never rewritten");
        assertNotEquals(first, new GeneratedSshKey(dir.resolve("other"), "root@bettley", new SecureRandom()).publicKey());
    }

    @Test
    void openSshReadsThePrivateKeyAndDerivesTheSamePublicKey() throws Exception {
        Path path = dir.resolve("root_ed25519");
        String line = new GeneratedSshKey(path, "root@bettley", new SecureRandom()).publicKey();

        String derived = SshLineageTest.run("ssh-keygen", "-y", "-f", path.toString()).trim();

        assertEquals(line.substring(0, line.lastIndexOf(' ')), derived.split(" ")[0] + " " + derived.split(" ")[1]);
    }

    @Test
    void aKeyOthersCanReadIsMadeOwnerOnlyAgainAndAMissingPublicHalfIsRewritten() throws Exception {
        Path path = dir.resolve("root_ed25519");
        GeneratedSshKey key = new GeneratedSshKey(path, "root@bettley", new SecureRandom());
        String line = key.publicKey();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        Files.delete(key.publicKeyPath());

        assertEquals(line, key.publicKey());

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(path));
        assertEquals(line + "\n", Files.readString(key.publicKeyPath()));
    }

    @Test
    void aFileThatIsNotAnOpenSshEd25519KeyIsReportedAndLeftAlone() throws Exception {
        Path path = dir.resolve("root_ed25519");
        SshLineageTest.run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", path.toString());
        String operators = Files.readString(path);

        IOException e = assertThrows(IOException.class,
                () -> new GeneratedSshKey(path, "root@bettley", new SecureRandom()).publicKey());

        assertTrue(e.getMessage().endsWith("is not an Ed25519 key"), e.getMessage());
        assertFalse(e.getMessage().contains("PRIVATE KEY"), "the message holds no key material");
        assertEquals(operators, Files.readString(path), "an operator's key is never replaced");
    }
}
