package net.goldentooth.agent.certs.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesTheContentWithTheModeAndLeavesNoTemporaryFile() throws Exception {
        Path key = dir.resolve("tls").resolve("key.pem");

        AtomicFiles.write(key, bytes("secret"), FileSpec.mode("0640"));

        assertEquals("secret", Files.readString(key));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(key));
        try (Stream<Path> files = Files.list(key.getParent())) {
            assertEquals(List.of(key), files.toList());
        }
    }

    @Test
    void replacingAFileChangesItsModeToo() throws Exception {
        Path cert = dir.resolve("cert.pem");
        AtomicFiles.write(cert, bytes("old"), FileSpec.mode("0600"));

        AtomicFiles.write(cert, bytes("new"), FileSpec.mode("644"));

        assertEquals("new", Files.readString(cert));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(cert));
    }

    @Test
    void ownerAndGroupAreApplied() throws Exception {
        Path file = dir.resolve("owned.pem");
        PosixFileAttributes mine = Files.readAttributes(dir, PosixFileAttributes.class);
        boolean root = "root".equals(mine.owner().getName());
        String owner = root ? "nobody" : mine.owner().getName();
        String group = root ? "nogroup" : mine.group().getName();

        AtomicFiles.write(file, bytes("x"), FileSpec.of("0640", Optional.of(owner), Optional.of(group)));

        PosixFileAttributes written = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals(owner, written.owner().getName());
        assertEquals(group, written.group().getName());
    }

    @Test
    void anUnknownOwnerFailsAndLeavesTheOldFile() throws Exception {
        Path file = dir.resolve("cert.pem");
        AtomicFiles.write(file, bytes("old"), FileSpec.mode("0644"));

        assertThrows(IOException.class, () -> AtomicFiles.write(file, bytes("new"),
                FileSpec.of("0644", Optional.of("no-such-user-goldentooth"), Optional.empty())));

        assertEquals("old", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "the temporary file is removed");
        }
    }

    @Test
    void aReaderSeesTheOldOrTheNewContentNeverAMix() throws Exception {
        Path file = dir.resolve("chain.pem");
        String a = "A".repeat(256 * 1024);
        String b = "B".repeat(256 * 1024);
        AtomicFiles.write(file, bytes(a), FileSpec.mode("0644"));
        AtomicBoolean done = new AtomicBoolean();
        List<String> torn = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String seen = Files.readString(file);
                    if (!seen.equals(a) && !seen.equals(b)) {
                        torn.add(seen.length() + " bytes");
                    }
                } catch (NoSuchFileException e) {
                    torn.add("missing");
                } catch (IOException e) {
                    torn.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 60; i++) {
            AtomicFiles.write(file, bytes(i % 2 == 0 ? b : a), FileSpec.mode("0644"));
        }
        done.set(true);
        reader.join();

        assertEquals(List.of(), torn);
    }

    @Test
    void writeIfChangedLeavesAnIdenticalFileAlone() throws Exception {
        Path file = dir.resolve("ca.crt");
        assertTrue(AtomicFiles.writeIfChanged(file, bytes("x"), FileSpec.mode("0644")));
        var inode = Files.readAttributes(file, "unix:ino").get("ino");

        assertFalse(AtomicFiles.writeIfChanged(file, bytes("x"), FileSpec.mode("0644")));
        assertEquals(inode, Files.readAttributes(file, "unix:ino").get("ino"));
        assertTrue(AtomicFiles.writeIfChanged(file, bytes("y"), FileSpec.mode("0644")));
    }

    @Test
    void modesAreParsedStrictly() {
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), FileSpec.permissions("0750"));
        assertEquals(Set.of(), FileSpec.permissions("000"));
        assertThrows(IllegalArgumentException.class, () -> FileSpec.permissions("0999"));
        assertThrows(IllegalArgumentException.class, () -> FileSpec.permissions("4755"));
        assertThrows(IllegalArgumentException.class, () -> FileSpec.permissions("rw-r--r--"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
