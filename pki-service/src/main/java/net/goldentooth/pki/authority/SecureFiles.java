package net.goldentooth.pki.authority;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the CA's files: to a temporary file created with its final mode (a key is never
 * readable by others, not even for a moment), fsync, then an atomic rename.
 */
public final class SecureFiles {

    /** Private keys, key stores, the password and the used-token ledger. */
    public static final String PRIVATE = "rw-------";
    /** Certificates and public keys. */
    public static final String PUBLIC = "rw-r--r--";

    public static void write(Path file, byte[] content, String permissions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private SecureFiles() {
    }
}
